/**
 * The whole configuration (DESIGN §4): `server`, `checkpoints`, `shutdownTimeoutSeconds`,
 * `logLevel`, `functions`, `api` and `pipelines`. Two variants: the file format (also the JSON Schema) and the
 * library object, which additionally accepts `function: { type: 'in-process', handler }`.
 */
import * as z from 'zod';
import { DYNAMODB_TABLE_NAME, REGION } from '../aws-resources.js';
import {
  DEFAULT_CHECKPOINT_PATH,
  DEFAULT_LOG_LEVEL,
  DEFAULT_SERVER,
  DEFAULT_SHUTDOWN_TIMEOUT_SECONDS,
  SHUTDOWN_TIMEOUT_SECONDS,
} from '../defaults.js';
import { expected, hostName, int, matching, oneOf, optional, optionalBoolean, optionalNumber, required, text, url } from './fields.js';
import { apiSchema } from './api.js';
import { fileFunctionSchema, libraryFunctionSchema } from './function.js';
import { fileFunctionsSchema, libraryFunctionsSchema } from './function-declaration.js';
import { pipelineSchema } from './pipeline.js';

const object = expected('a mapping');

const serverSchema = z.strictObject(
  {
    enabled: optionalBoolean({ description: 'Serve /healthz /readyz /metrics /status', default: DEFAULT_SERVER.enabled }),
    host: optional(hostName(), { description: 'Listen address: an IP address or a host name', default: DEFAULT_SERVER.host }),
    port: optionalNumber(int({ min: 0, max: 65_535 }), { description: 'Listen port (0: any free port)', default: DEFAULT_SERVER.port }),
  },
  { error: object },
);

const checkpointsSchema = z.discriminatedUnion('type', [
  z.strictObject(
    { type: z.literal('file'), path: optional(text(), { description: 'Folder, relative to the config file', default: DEFAULT_CHECKPOINT_PATH }) },
    { error: object },
  ),
  z.strictObject(
    {
      type: z.literal('dynamodb'),
      tableName: required(matching(DYNAMODB_TABLE_NAME, 'a DynamoDB table name'), { description: 'Lease table' }),
      region: optional(matching(REGION, 'an AWS region such as us-east-1')),
      endpoint: optional(url(['http:', 'https:'], 'an http(s) URL')),
      leaseDurationSeconds: optionalNumber(int({ min: 1, max: 3600 }), {
        description: 'Lease expiry: an instance that stops renewing loses its shards after this long (KCL failoverTime)',
        default: 10,
      }),
    },
    { error: object },
  ),
]);

function configSchema<F extends z.ZodType, D extends z.ZodType>(functionSchema: F, functionsSchema: D) {
  return z.strictObject(
    {
      $schema: optional(text(), { description: 'JSON Schema reference for editors; ignored' }),
      server: optional(serverSchema),
      checkpoints: optional(checkpointsSchema, { description: 'Where checkpoints and leases live' }),
      shutdownTimeoutSeconds: optionalNumber(int(SHUTDOWN_TIMEOUT_SECONDS), {
        description: 'Drain time on SIGTERM',
        default: DEFAULT_SHUTDOWN_TIMEOUT_SECONDS,
      }),
      logLevel: optional(oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']), { default: DEFAULT_LOG_LEVEL }),
      exitOnFailed: optionalBoolean({
        description: '`run` exits 1 as soon as a pipeline failed for good (for supervisors that restart on exit); otherwise it exits only when every pipeline failed and the operations server is off',
        default: false,
      }),
      functions: optional(functionsSchema, {
        description: 'Functions by name (Lambda function names), for pipelines to refer to with function: <name>',
      }),
      api: optional(apiSchema, { description: "Lambda's REST API: create, update and delete event source mappings, invoke functions" }),
      // At least one pipeline unless `api:` is enabled (rules/config-rules.ts): mappings may then all come from the API.
      pipelines: required(z.array(pipelineSchema(functionSchema), { error: expected('a list of pipelines') })),
    },
    { error: object },
  );
}

/** The file format; its JSON Schema is what `tributary schema` prints. */
export const fileConfigSchema = configSchema(fileFunctionSchema, fileFunctionsSchema).meta({
  title: 'Tributary configuration',
  description: 'Self-hosted AWS Lambda event source mappings. Field names are CreateEventSourceMapping parameters in lowerCamelCase.',
});

/** The library object accepted by `resolveConfigObject`. */
export const libraryConfigSchema = configSchema(libraryFunctionSchema, libraryFunctionsSchema);

/** A validated configuration, before defaults and units are applied. */
export type ParsedConfig = z.output<typeof libraryConfigSchema>;
/** One validated pipeline before resolution. */
export type ParsedPipeline = ParsedConfig['pipelines'][number];
/** One validated entry of `functions:` before resolution. */
export type ParsedFunctionDeclaration = NonNullable<ParsedConfig['functions']>[string];

/** The object a library user passes to `resolveConfigObject` (numbers may also be strings, see schema/fields.ts). */
export type TributaryConfigInput = z.input<typeof libraryConfigSchema>;
