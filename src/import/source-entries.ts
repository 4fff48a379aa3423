/**
 * Pieces shared by the source mappers (map-source.ts, map-kafka.ts) and the destination mapping: the mapped-source
 * shape, ARN parsing, the endpoint variables, and entries for names CloudFormation would generate.
 */
import type { SourceType } from '../config/types.js';
import { interpolation, literal } from './env-names.js';
import type { ReadProperty } from './esm-values.js';
import { scalar, type OutEntry, type OutMap } from './out-yaml.js';
import type { ImportSession } from './session.js';

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

