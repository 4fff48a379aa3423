/**
 * `tributary import`: CloudFormation / SAM / CDK templates → one Tributary pipelines file. Each event source mapping
 * becomes a pipeline (source from map-source.ts and each connector's import.ts, settings from map-properties.ts), each function it
 * invokes an entry of `functions:` (map-function.ts). The output is validated exactly as `tributary validate` would,
 * and a problem found there is reported at the template line it came from.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseConfigText } from '../config/index.js';
import { PIPELINE_NAME_PATTERN } from '../config/defaults.js';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { interpolation } from './env-names.js';
import { cloudFormationMappings, type EsmDefinition } from './esm.js';
import { shortLocation } from './esm-values.js';
import { FunctionRegistry, importFunction } from './map-function.js';
import { mapProperties } from './map-properties.js';
import { mapSource } from './map-source.js';
import { formatNote, type ImportNote } from './notes.js';
import { originOf, renderYaml, scalar, type OutEntry, type OutMap } from './out-yaml.js';
import { resolveParameters } from './parameters.js';
import { samMappings } from './sam-functions.js';
import { TemplateScope } from './scope.js';
import { ImportSession } from './session.js';
import { stackContext } from './stack.js';
import { formatLocation, parseTemplate, type Template, type TemplateLocation } from './template.js';

/** One template to import. */
export interface TemplateInput {
  readonly text: string;
  /** The file as the user named it (labels notes). */
  readonly file: string;
  /** Absolute folder of the file. */
  readonly dir: string;
  /** `AWS::StackName`. */
  readonly stackName: string;
}

/** What to import and how. */
export interface ImportOptions {
  readonly templates: readonly TemplateInput[];
  /** `--parameter Key=Value`. */
  readonly parameters: ReadonlyMap<string, string>;
  readonly region: string;
  readonly accountId: string;
  /** Absolute path of the output file (handler paths are relative to its folder). */
  readonly outPath: string;
  /** The output file as the user named it (labels its validation issues). */
  readonly outLabel: string;
  /** Environment the output is validated with (the variables it needs without a default get placeholders). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly nowMs: number;
}

/** A validation problem of the output, with the template location it came from when known. */
export interface OutputIssue {
  readonly issue: ConfigIssue;
  readonly origin: TemplateLocation | undefined;
}

/** The result of an import. */
export type ImportResult =
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] }
  | {
      readonly ok: true;
      readonly text: string;
      readonly notes: readonly ImportNote[];
      readonly pipelines: number;
      readonly functions: number;
      /** Files to write next to the output (inline code), relative path → content. */
      readonly extraFiles: ReadonlyMap<string, string>;
      /** Variables the output needs and has no default for. */
      readonly requiredEnv: readonly string[];
      /** Problems `tributary validate` finds in the output (empty: it validates). */
      readonly outputIssues: readonly OutputIssue[];
    };

/** Import `options.templates`. */
export function importTemplates(options: ImportOptions): ImportResult {
  const outDir = join(options.outPath, '..');
  const session = new ImportSession(outDir);
  const registry = new FunctionRegistry();
  const pipelines: OutMap[] = [];
  const names = new Set<string>();
  const templates: Template[] = [];
  for (const input of options.templates) {
    const loaded = parseTemplate(input.text, input.file, input.dir);
    if (!loaded.ok) return { ok: false, issues: loaded.issues };
    const template = loaded.template;
    templates.push(template);
    const parameters = resolveParameters(template, options.parameters);
    if (options.templates.length === 1) {
      for (const name of parameters.unknown) session.notes.add('warning', template.locate(['Parameters']), `--parameter ${name}: the template declares no such parameter`);
    }
    const scope = new TemplateScope(template, stackContext(options.region, options.accountId, input.stackName), parameters.values);
    for (const esm of [...cloudFormationMappings(scope), ...samMappings(scope, session.notes)]) {
      const pipeline = importMapping(esm, session, registry, names);
      if (pipeline !== undefined) pipelines.push(pipeline);
    }
  }
  const server: OutEntry = {
    key: 'server',
    value: { kind: 'map', flow: true, entries: [{ key: 'host', value: scalar('127.0.0.1') }, { key: 'port', value: scalar(interpolation('TRIBUTARY_PORT', '9400')) }] },
    comment: '/healthz /readyz /metrics /status',
  };
  const root: OutMap = {
    kind: 'map',
    entries: [
      server,
      ...(registry.entries.length === 0 ? [] : [{ key: 'functions', value: { kind: 'map', entries: registry.entries } } satisfies OutEntry]),
      { key: 'pipelines', value: { kind: 'list', items: pipelines, flow: false } },
    ],
  };
  const rendered = renderYaml(header(templates, options, session), root);
  const requiredEnv = [...session.requiredEnv].sort();
  return {
    ok: true,
    text: rendered.text,
    notes: session.notes.all,
    pipelines: pipelines.length,
    functions: registry.entries.length,
    extraFiles: session.extraFiles,
    requiredEnv,
    outputIssues: validateOutput(rendered.text, rendered.origins, options, requiredEnv),
  };
}

function importMapping(esm: EsmDefinition, session: ImportSession, registry: FunctionRegistry, names: Set<string>): OutMap | undefined {
  const template = esm.scope.template;
  const owner = template.resources.get(String(esm.path[1]));
  const created = owner === undefined ? null : esm.scope.created(owner);
  if (created !== null && !(created.ok && created.value === true)) {
    const why = created.ok ? `its Condition ${owner?.condition ?? ''} is false` : created.reason;
    session.notes.add('unmapped', template.locate(esm.path), `${esm.id}: not created by CloudFormation here: ${why}`);
    return undefined;
  }
  const source = mapSource(esm, session);
  if (source === undefined) return undefined;
  const functionKey = importFunction(esm, session, registry);
  if (functionKey === undefined) return undefined;
  const name = pipelineName(esm.id, names);
  const properties = mapProperties(esm, session, new Set(source.consumed), name);
  const at = template.locate(esm.path);
  return {
    kind: 'map',
    before: [`${esm.description} (${shortLocation(at)})`],
    origin: at,
    entries: [
      { key: 'name', value: scalar(name) },
      { key: 'function', value: scalar(functionKey), comment: 'an entry of functions:' },
      { key: 'source', value: { kind: 'map', entries: [...source.source.entries, ...properties.sourceEntries] } },
      ...properties.entries,
    ],
  };
}

/** The ESM's id as a pipeline name (`[A-Za-z0-9_-]{1,64}`), unique in the file. */
function pipelineName(id: string, names: Set<string>): string {
  let name = id.replace(/[^A-Za-z0-9_-]/g, '-');
  if (!PIPELINE_NAME_PATTERN.test(name)) name = `${name.slice(0, 55)}-${createHash('sha256').update(id).digest('hex').slice(0, 8)}`;
  for (let n = 2; names.has(name); n += 1) name = `${name.slice(0, 60)}-${n}`;
  names.add(name);
  return name;
}

function header(templates: readonly Template[], options: ImportOptions, session: ImportSession): string[] {
  const sources = templates.map((t) => `${t.file} (${t.kind === 'sam' ? 'AWS SAM' : t.kind === 'cdk' ? 'AWS CDK' : 'CloudFormation'})`).join(', ');
  const lines = [
    `Written by \`tributary import\` from ${sources}; region ${options.region}, account ${options.accountId}.`,
    'Each part says where in the template it came from. Unset, SQS_ENDPOINT, KINESIS_ENDPOINT, DDB_ENDPOINT and',
    'LAMBDA_ENDPOINT mean AWS; set them (and the *_BROKERS of Kafka clusters) to run the same file against emulators.',
  ];
  if (session.requiredEnv.size > 0) lines.push(`Needs (no default): ${[...session.requiredEnv].sort().join(', ')}.`);
  const listed = session.notes.all.filter((note) => note.kind !== 'warning');
  if (listed.length > 0) lines.push('', ...listed.map(formatNote));
  return lines;
}

function validateOutput(text: string, origins: ReadonlyMap<string, TemplateLocation>, options: ImportOptions, required: readonly string[]): OutputIssue[] {
  const env: Record<string, string | undefined> = { ...options.env };
  for (const name of required) env[name] ??= `placeholder-${name.toLowerCase()}`;
  try {
    parseConfigText(text, { file: options.outLabel, absolutePath: options.outPath, env, now: () => options.nowMs });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => ({ issue, origin: originOf(origins, issue.path) }));
  }
}

/** `template.yaml:31:9 BatchSize → pipelines[0].batchSize: must be between …` */
export function formatOutputIssue(output: OutputIssue): string {
  const where = output.origin === undefined ? '' : `${formatLocation(output.origin)} `;
  return `${where}${output.issue.path === '' ? '' : `${output.issue.path}: `}${output.issue.message}`;
}
