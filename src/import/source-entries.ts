/**
 * Pieces shared by the source mappers (each connector's import.ts, through src/connector/import-kit.ts) and the
 * destination mapping: the mapped-source
 * shape, ARN parsing, the endpoint variables, and entries for names CloudFormation would generate.
 */
import type { SourceType } from '../config/types.js';
import { envName, interpolation, literal } from './env-names.js';
import type { EsmDefinition } from './esm.js';
import { describeExpression, shortLocation, type ReadProperty } from './esm-values.js';
import { scalar, type OutEntry, type OutMap } from './out-yaml.js';
import { physicalName } from './resources.js';
import type { ImportSession } from './session.js';
import type { TemplateResource } from './template.js';

/** The `source:` of a pipeline and the ESM properties it used. */
export interface MappedSource {
  readonly type: SourceType;
  readonly source: OutMap;
  /** ESM properties (dotted names) read here, so the property mapper does not report them. */
  readonly consumed: readonly string[];
}

/** The environment variable of each AWS service's endpoint (as the examples in config/ use them). */
export const ENDPOINT_ENV = { sqs: 'SQS_ENDPOINT', kinesis: 'KINESIS_ENDPOINT', 'dynamodb-streams': 'DDB_ENDPOINT' } as const;

/** `arn:partition:service:region:account:resource` → its parts. */
export function parseArn(value: string): { service: string; region: string; account: string; resource: string } | null {
  const match = /^arn:[^:]+:([^:]+):([^:]*):([^:]*):(.+)$/.exec(value);
  return match === null ? null : { service: match[1] ?? '', region: match[2] ?? '', account: match[3] ?? '', resource: match[4] ?? '' };
}

/** The entry `key: value` for a value that may be a generated name: then `${ENV:-value}` and a note. */
export function nameEntry(
  key: string,
  read: { readonly value: unknown; readonly generated: readonly string[] },
  env: string,
  what: string,
  session: ImportSession,
  origin: ReadProperty,
  comment: string,
  why = `CloudFormation generates the name of ${read.generated.join(', ')} (<stack>-<LogicalId>-<random suffix>)`,
): OutEntry {
  const value = String(read.value);
  if (read.generated.length === 0) return { key, value: scalar(literal(value)), comment, origin: origin.at };
  session.notes.add('action', origin.at, `${why}: set ${env} to the deployed ${what}; the default suits emulators`);
  return { key, value: scalar(interpolation(env, value)), comment: `${comment}; only AWS knows it: set ${env}`, origin: origin.at };
}


/** `endpoint: ${<VAR>:-}`: unset, the file talks to AWS; set, to an emulator. */
export function endpointEntry(variable: string): OutEntry {
  return { key: 'endpoint', value: scalar(interpolation(variable, '')), comment: 'unset: AWS; an emulator\'s URL otherwise' };
}

/** The comment naming where the source came from: the EventSourceArn as written, and the resource it references. */
export function origin(esm: EsmDefinition, arn: ReadProperty, resource: TemplateResource | undefined): string {
  const written = `EventSourceArn: ${describeExpression(arn.written)} (${shortLocation(arn.at)})`;
  if (resource === undefined) return written;
  return `${written} → ${resource.type} ${resource.id} (${shortLocation(esm.scope.template.locate(['Resources', resource.id]))})`;
}

/** A stream or table of the template is named (with the stack's region); a literal ARN stays an ARN. */
export function namedOrArn(
  esm: EsmDefinition,
  session: ImportSession,
  arn: ReadProperty,
  resource: TemplateResource | undefined,
  nameKey: 'streamName' | 'tableName',
  what: string,
): OutEntry[] {
  const comment = origin(esm, arn, resource);
  if (resource === undefined) return [{ key: 'streamArn', value: scalar(literal(String(arn.value))), comment, origin: arn.at }];
  const name = physicalName(resource, esm.scope.stack, esm.scope);
  if (!name.ok) {
    session.notes.add('unmapped', esm.scope.template.locate(name.path), `${esm.id}: the ${what} name: ${name.reason}`);
    return [{ key: 'streamArn', value: scalar(literal(String(arn.value))), comment, origin: arn.at }];
  }
  const env = envName(resource.id, nameKey === 'streamName' ? 'STREAM' : 'TABLE', 'NAME');
  return [nameEntry(nameKey, name, env, `${what}'s name`, session, arn, comment), { key: 'region', value: scalar(esm.scope.stack.region) }];
}
