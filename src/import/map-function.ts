/**
 * The function of an event source mapping → an entry of the output's `functions:` map, named after the function's
 * `FunctionName` (else its logical id), written once however many mappings use it.
 *
 * `AWS::Lambda::Function` / `AWS::Serverless::Function` (with SAM Globals): `Handler` + code (function-code.ts),
 * `Timeout`, `MemorySize`, `Environment.Variables`, `ReservedConcurrentExecutions`, `Description`, SAM's
 * `ProvisionedConcurrencyConfig`. IAM, tracing, VPC, versions and the like are accepted with a warning; what
 * Tributary cannot do (layers, EFS, async-invocation settings) is listed. A `FunctionName` that is not in the
 * template (a name or ARN) becomes a `lambda` function: Tributary invokes the deployed function in AWS.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-function.html
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html
 */
import { FUNCTION_NAME } from '../config/schema/pipeline.js';
import { asRecord } from '../config/rules/pipeline-view.js';
import { interpolation, literal } from './env-names.js';
import type { EsmDefinition, EsmProperty } from './esm.js';
import { describeExpression, readValue, referencedResource, shortLocation } from './esm-values.js';
import { runnerEntries, type CodeLocation } from './function-code.js';
import { fromPlain, scalar, type OutEntry } from './out-yaml.js';
import { samFunctionProperties } from './sam-functions.js';
import type { ImportSession } from './session.js';
import type { TemplateResource } from './template.js';

const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function']);

/** Function properties with no meaning outside AWS: accepted with a warning. */
const AWS_ONLY: Readonly<Record<string, string>> = {
  Role: 'the function runs with the credentials of the Tributary process, not an execution role',
  Policies: 'the function runs with the credentials of the Tributary process, not an execution role',
  PermissionsBoundary: 'IAM',
  RolePath: 'IAM',
  AssumeRolePolicyDocument: 'IAM',
  Tags: 'AWS resource tags',
  PropagateTags: 'AWS resource tags',
  Tracing: 'X-Ray tracing',
  TracingConfig: 'X-Ray tracing',
  VpcConfig: 'the function reaches the network of the Tributary host',
  Architectures: 'the function runs on the host\'s architecture',
  KmsKeyArn: 'encrypts environment variables at rest in AWS',
  AutoPublishAlias: 'versions and aliases: Tributary runs the code as it is',
  AutoPublishCodeSha256: 'versions and aliases: Tributary runs the code as it is',
  AutoPublishAliasAllProperties: 'versions and aliases: Tributary runs the code as it is',
  VersionDescription: 'versions and aliases: Tributary runs the code as it is',
  DeploymentPreference: 'CodeDeploy traffic shifting',
  CodeSigningConfigArn: 'code signing',
  LoggingConfig: 'logs go to Tributary\'s log',
  RuntimeManagementConfig: 'the runtime is the Node.js running Tributary, or the container image',
  SnapStart: 'SnapStart',
  EphemeralStorage: 'the sandbox uses the host\'s disk',
  RecursiveLoop: 'recursive-loop detection',
  ImageConfig: 'set the command of the container you run',
};

/** Function properties Tributary cannot honour: listed as not imported. */
const UNMAPPED: Readonly<Record<string, string>> = {
  Layers: 'layer code is not available here; put what the function needs from its layers into its own code folder',
  FileSystemConfigs: 'EFS mounts: mount the file system on the Tributary host yourself',
  DeadLetterQueue: 'asynchronous-invocation settings are not imported (the pipelines invoke synchronously)',
  DeadLetterConfig: 'asynchronous-invocation settings are not imported (the pipelines invoke synchronously)',
  EventInvokeConfig: 'asynchronous-invocation settings are not imported (the pipelines invoke synchronously)',
  FunctionUrlConfig: 'function URLs are not supported',
};

/** Properties read below. */
const USED = new Set([
  'Runtime', 'Handler', 'CodeUri', 'InlineCode', 'Code', 'ImageUri', 'PackageType', 'Timeout', 'MemorySize', 'Environment',
  'ReservedConcurrentExecutions', 'Description', 'FunctionName', 'ProvisionedConcurrencyConfig', 'Events',
]);

/** The `functions:` entries written so far, by template resource. */
export class FunctionRegistry {
  readonly entries: OutEntry[] = [];
  readonly #byResource = new Map<string, string>();
  readonly #keys = new Set<string>();

  /** A key not used yet: `wanted`, else `wanted-2`… */
  claim(wanted: string): string {
    let key = wanted;
    for (let n = 2; this.#keys.has(key); n += 1) key = `${wanted.slice(0, 60)}-${n}`;
    this.#keys.add(key);
    return key;
  }

  known(id: string): string | undefined {
    return this.#byResource.get(id);
  }

  add(id: string, key: string, entry: OutEntry): void {
    this.#byResource.set(id, key);
    this.entries.push(entry);
  }
}

/** The `functions:` key of the mapping's function (imported on first use), or undefined (noted). */
export function importFunction(esm: EsmDefinition, session: ImportSession, registry: FunctionRegistry): string | undefined {
  const template = esm.scope.template;
  let resource: TemplateResource | undefined;
  if (esm.function.kind === 'resource') resource = template.resources.get(esm.function.id);
  else {
    const { value, path } = esm.function;
    if (value === undefined) {
      session.notes.add('unmapped', template.locate(esm.path), `${esm.id}: no FunctionName`);
      return undefined;
    }
    resource = referencedResource(esm, value);
    // A mapping on an alias or a version runs the function's code: follow its FunctionName.
    if (resource !== undefined && (resource.type === 'AWS::Lambda::Alias' || resource.type === 'AWS::Lambda::Version')) {
      session.notes.add('warning', template.locate(path), `${esm.id}: FunctionName is ${resource.type} ${resource.id}; Tributary runs the function's code as in the template (no versions or aliases)`);
      resource = referencedResource(esm, resource.properties['FunctionName']);
    }
    if (resource === undefined) return externalFunction(esm, session, registry, { value, path });
  }
  if (resource === undefined || !FUNCTION_TYPES.has(resource.type)) {
    session.notes.add('unmapped', template.locate(esm.path), `${esm.id}: its function is not an AWS::Lambda::Function or AWS::Serverless::Function`);
    return undefined;
  }
  const qualified = `${template.file}#${resource.id}`;
  const known = registry.known(qualified);
  if (known !== undefined) return known;
  return templateFunction(esm, session, registry, resource, qualified);
}

function externalFunction(esm: EsmDefinition, session: ImportSession, registry: FunctionRegistry, property: EsmProperty): string | undefined {
  const read = readValue(esm, 'FunctionName', property, session.notes);
  if (read === undefined) return undefined;
  const name = String(read.value);
  const known = registry.known(name);
  if (known !== undefined) return known;
  const short = /function:([^:]+)/.exec(name)?.[1] ?? name.split(':').at(-1) ?? name;
  const key = registry.claim(short.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64));
  session.notes.add('action', read.at, `${esm.id}: FunctionName ${name} is not in this template: it is invoked in AWS (type lambda); import its template too to run it here`);
  registry.add(name, key, {
    key,
    before: [`FunctionName: ${describeExpression(read.written)} (${shortLocation(read.at)}): not in this template, invoked in AWS`],
    value: {
      kind: 'map',
      entries: [
        { key: 'type', value: scalar('lambda') },
        { key: 'functionName', value: scalar(literal(name)) },
        { key: 'endpoint', value: scalar(interpolation('LAMBDA_ENDPOINT', '')), comment: 'unset: AWS' },
      ],
    },
    origin: read.at,
  });
  return key;
}

function templateFunction(esm: EsmDefinition, session: ImportSession, registry: FunctionRegistry, resource: TemplateResource, qualified: string): string {
  const scope = esm.scope;
  const template = scope.template;
  const properties =
    resource.type === 'AWS::Serverless::Function'
      ? samFunctionProperties(scope, resource)
      : new Map(Object.entries(resource.properties).map(([key, value]) => [key, { value, path: ['Resources', resource.id, 'Properties', key] }]));
  const cache = new Map<string, unknown>();
  const read = (key: string): unknown => {
    if (!cache.has(key)) {
      const property = properties.get(key);
      cache.set(key, property === undefined ? undefined : readValue(esm, key, property, session.notes)?.value);
    }
    return cache.get(key);
  };
  const named = read('FunctionName');
  const key = registry.claim(typeof named === 'string' && FUNCTION_NAME.test(named) ? named : resource.id.slice(0, 64));
  const at = template.locate(['Resources', resource.id]);
  const runner = runnerEntries(
    { key, runtime: stringOrNull(read('Runtime')), handler: stringOrNull(read('Handler')), code: codeLocation(resource, read), templateDir: template.dir, at },
    session,
  );
  const entries: OutEntry[] = [...runner.entries];
  const optional = (name: string, outKey: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    const origin = template.locate(properties.get(name)?.path ?? ['Resources', resource.id]);
    entries.push({ key: outKey, value: fromPlain(value), comment: `${name} (${shortLocation(origin)})`, origin });
  };
  optional('Timeout', 'timeout', read('Timeout'));
  if (runner.type === 'module') {
    optional('MemorySize', 'memorySize', read('MemorySize'));
    const variables = environment(read('Environment'));
    if (variables !== null) {
      const origin = template.locate(properties.get('Environment')?.path ?? ['Resources', resource.id]);
      const value = { kind: 'map', entries: Object.entries(variables).map(([name, text]) => ({ key: name, value: scalar(literal(text)) })) } as const;
      entries.push({ key: 'environment', value, comment: `Environment.Variables (${shortLocation(origin)})`, origin });
    }
    optional('ProvisionedConcurrencyConfig', 'provisionedConcurrency', asRecord(read('ProvisionedConcurrencyConfig'))['ProvisionedConcurrentExecutions']);
  } else if (environment(read('Environment')) !== null) {
    session.notes.add('action', template.locate(properties.get('Environment')?.path ?? []), `function ${key}: pass Environment.Variables to the container (docker run -e NAME=value …)`);
  }
  optional('ReservedConcurrentExecutions', 'reservedConcurrency', read('ReservedConcurrentExecutions'));
  optional('Description', 'description', typeof read('Description') === 'string' ? literal(String(read('Description'))) : undefined);
  for (const [name, property] of properties) noteProperty(session, key, name, template.locate(property.path));
  const before = [`${resource.type} ${resource.id} (${shortLocation(at)}): runtime ${String(read('Runtime') ?? 'unknown')}, Handler ${String(read('Handler') ?? 'unknown')}`, ...runner.comments];
  registry.add(qualified, key, { key, before, value: { kind: 'map', entries }, origin: at });
  return key;
}

function noteProperty(session: ImportSession, key: string, name: string, at: Parameters<ImportSession['notes']['add']>[1]): void {
  if (USED.has(name)) return;
  const awsOnly = AWS_ONLY[name];
  if (awsOnly !== undefined) session.notes.add('warning', at, `function ${key}: ${name}: accepted and ignored (${awsOnly})`);
  else session.notes.add('unmapped', at, `function ${key}: ${name}: ${UNMAPPED[name] ?? 'not known to tributary import'}`);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** `Environment.Variables` as strings (Lambda's variables are strings), or null when none. */
function environment(value: unknown): Record<string, string> | null {
  const variables = asRecord(asRecord(value)['Variables']);
  const entries = Object.entries(variables).map(([name, v]) => [name, typeof v === 'string' ? v : JSON.stringify(v)] as const);
  return entries.length === 0 ? null : Object.fromEntries(entries);
}

/** SAM `CodeUri` / `InlineCode` / `ImageUri`, CloudFormation `Code`, CDK's asset metadata. */
function codeLocation(resource: TemplateResource, read: (key: string) => unknown): CodeLocation {
  // CDK: the code is the asset in cdk.out that Metadata names; its S3 location only exists once deployed.
  const asset = resource.metadata['aws:asset:path'];
  const assetProperty = resource.metadata['aws:asset:property'];
  if (typeof asset === 'string' && assetProperty === 'Code') {
    return asset.endsWith('.zip') ? { kind: 'remote', where: `the zip ${asset} (unzip it)` } : { kind: 'folder', path: asset, from: `CDK asset ${asset}` };
  }
  if (typeof asset === 'string' && assetProperty === 'Code.ImageUri') return { kind: 'image', image: `<the image built from ${asset}>` };
  const image = read('ImageUri') ?? asRecord(read('Code'))['ImageUri'];
  if (typeof image === 'string' || read('PackageType') === 'Image') return { kind: 'image', image: typeof image === 'string' ? image : '<image>' };
  const inline = read('InlineCode') ?? asRecord(read('Code'))['ZipFile'];
  if (typeof inline === 'string') return { kind: 'inline', code: inline };
  const codeUri = read('CodeUri');
  if (typeof codeUri === 'string') return codeUri.startsWith('s3://') ? { kind: 'remote', where: codeUri } : { kind: 'folder', path: codeUri, from: `CodeUri ${codeUri}` };
  const code = read('Code');
  if (typeof code === 'string') return { kind: 'folder', path: code, from: `Code ${code}` };
  const bucket = asRecord(codeUri ?? code);
  const s3 = bucket['S3Bucket'] ?? bucket['Bucket'];
  if (s3 !== undefined) return { kind: 'remote', where: `s3://${String(s3)}/${String(bucket['S3Key'] ?? bucket['Key'] ?? '')}` };
  return { kind: 'none' };
}
