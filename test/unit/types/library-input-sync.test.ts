/**
 * The library's typed input (src/types/input/) against the configuration schema (src/config/schema/), so a field
 * added to, removed from or retyped in the schema without the types — or the other way round — fails
 * `npm run typecheck`. Compared with the schema's `z.input`, where strings that the schema coerces into numbers or
 * booleans (`${VAR}` interpolation in files) become `${VAR}` strings only (test/support/type-diff.ts):
 * - the keys, all the way down (sources, functions, declarations, every section of the file);
 * - the value types both ways, for every field a source takes.
 * Where the types are deliberately stricter than the schema — fields a source refuses (src/config/rules/), a required
 * `startingPosition`, DynamoDB's positions — the difference is listed here and checked at runtime: the validator
 * refuses exactly what the types leave out.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import { resolveConfigObject } from '../../../src/config/index.js';
import type { libraryConfigSchema } from '../../../src/config/schema/config.js';
import type { libraryFunctionSchema } from '../../../src/config/schema/function.js';
import { ConfigError } from '../../../src/errors.js';
import type {
  FunctionDeclarationInput,
  HttpFunctionInput,
  InProcessFunctionInput,
  LambdaFunctionInput,
  ModuleFunctionInput,
  PipelineInputs,
  ServiceSettingsInput,
  SourceInputs,
  SourceTypeInput,
} from '../../../src/types/index.js';
import type { KeyDiff, Mutual, StrictInput } from '../../support/type-diff.ts';

type Schema = z.input<typeof libraryConfigSchema>;
type SchemaPipeline = Schema['pipelines'][number];
/** `function:` of a pipeline (a preprocessing step makes the pipeline's own field `unknown`). */
type SchemaFunction = z.input<typeof libraryFunctionSchema>;
type SchemaDeclaration = NonNullable<Schema['functions']>[string];
type Strict<T> = StrictInput<T>;

/** A pipeline's fields other than its source and function. */
type Fields<P> = Omit<P, 'source' | 'function'>;
type SchemaFields = Strict<Fields<SchemaPipeline>>;
type LibraryFields<T extends SourceTypeInput> = Fields<PipelineInputs[T]>;

/** Fields the schema has that a source's type leaves out: the validator refuses them for that source. */
type Refused<T extends SourceTypeInput> = Exclude<keyof SchemaFields, keyof LibraryFields<T>>;
/** Fields whose type is narrower than the schema's for a source (and what the validator does about it). */
interface Narrowed {
  sqs: never;
  kinesis: never;
  'dynamodb-streams': 'startingPosition';
  kafka: never;
}
/** Every field a source takes, compared both ways (requiredness aside: `startingPosition` is required in code). */
type Taken<T extends SourceTypeInput> = Exclude<keyof LibraryFields<T>, Narrowed[T]>;
/** Every field optional, `undefined` included (`Partial` under exactOptionalPropertyTypes would not add it). */
type Optional<T> = { readonly [K in keyof T]?: T[K] | undefined };
type ValuesAgree<T extends SourceTypeInput> = Mutual<Optional<Pick<LibraryFields<T>, Taken<T>>>, Optional<Pick<SchemaFields, Taken<T> & keyof SchemaFields>>>;

const REFUSED = {
  sqs: [
    'startingPosition',
    'startingPositionTimestamp',
    'parallelizationFactor',
    'bisectBatchOnFunctionError',
    'maximumRetryAttempts',
    'maximumRecordAgeInSeconds',
    'destinationConfig',
    'tumblingWindowInSeconds',
  ],
  kinesis: ['provisionedPollerConfig'],
  'dynamodb-streams': ['startingPositionTimestamp', 'provisionedPollerConfig'],
  kafka: ['parallelizationFactor', 'tumblingWindowInSeconds'],
} as const satisfies { readonly [T in SourceTypeInput]: readonly Refused<T>[] };

describe('the library input types and the configuration schema', () => {
  it('sources: the same fields, of the same types', () => {
    type SchemaSource<T extends SourceTypeInput> = Strict<Extract<SchemaPipeline['source'], { type: T }>>;
    expectTypeOf<KeyDiff<SourceInputs[SourceTypeInput], Strict<SchemaPipeline['source']>>>().toEqualTypeOf<never>();
    expectTypeOf<Mutual<SourceInputs['sqs'], SchemaSource<'sqs'>>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<SourceInputs['kinesis'], SchemaSource<'kinesis'>>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<SourceInputs['dynamodb-streams'], SchemaSource<'dynamodb-streams'>>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<SourceInputs['kafka'], SchemaSource<'kafka'>>>().toEqualTypeOf<true>();
  });

  it('pipelines: every field a source takes has the schema type; the rest is exactly what the validator refuses', () => {
    expectTypeOf<KeyDiff<Omit<LibraryFields<'kinesis'> & LibraryFields<'kafka'>, never>, SchemaFields>>().toEqualTypeOf<never>();
    expectTypeOf<ValuesAgree<'sqs'>>().toEqualTypeOf<true>();
    expectTypeOf<ValuesAgree<'kinesis'>>().toEqualTypeOf<true>();
    expectTypeOf<ValuesAgree<'dynamodb-streams'>>().toEqualTypeOf<true>();
    expectTypeOf<ValuesAgree<'kafka'>>().toEqualTypeOf<true>();
    expectTypeOf<(typeof REFUSED)['sqs'][number]>().toEqualTypeOf<Refused<'sqs'>>();
    expectTypeOf<(typeof REFUSED)['kinesis'][number]>().toEqualTypeOf<Refused<'kinesis'>>();
    expectTypeOf<(typeof REFUSED)['dynamodb-streams'][number]>().toEqualTypeOf<Refused<'dynamodb-streams'>>();
    expectTypeOf<(typeof REFUSED)['kafka'][number]>().toEqualTypeOf<Refused<'kafka'>>();
    // Narrowed: DynamoDB Streams has no AT_TIMESTAMP.
    expectTypeOf<PipelineInputs['dynamodb-streams']['startingPosition']>().toEqualTypeOf<Exclude<SchemaFields['startingPosition'], 'AT_TIMESTAMP' | undefined>>();
  });

  it('functions: module, http and lambda as in the schema; in-process but for the handler, typed by the source here', () => {
    type SchemaFunctionOf<T extends string> = Strict<Extract<SchemaFunction, { type: T }>>;
    expectTypeOf<KeyDiff<ModuleFunctionInput | HttpFunctionInput | LambdaFunctionInput | InProcessFunctionInput, Strict<SchemaFunction>>>().toEqualTypeOf<never>();
    expectTypeOf<Mutual<ModuleFunctionInput, SchemaFunctionOf<'module'>>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<HttpFunctionInput, SchemaFunctionOf<'http'>>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<LambdaFunctionInput, SchemaFunctionOf<'lambda'>>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<Omit<InProcessFunctionInput, 'handler'>, Omit<SchemaFunctionOf<'in-process'>, 'handler'>>>().toEqualTypeOf<true>();
  });

  it('functions: declarations', () => {
    type DeclarationOf<T extends string> = Extract<FunctionDeclarationInput, { type: T }>;
    type SchemaDeclarationOf<T extends string> = Strict<Extract<SchemaDeclaration, { type: T }>>;
    expectTypeOf<KeyDiff<FunctionDeclarationInput, Strict<SchemaDeclaration>>>().toEqualTypeOf<never>();
    expectTypeOf<Mutual<DeclarationOf<'module'>, SchemaDeclarationOf<'module'>>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<DeclarationOf<'http'>, SchemaDeclarationOf<'http'>>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<DeclarationOf<'lambda'>, SchemaDeclarationOf<'lambda'>>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<Omit<DeclarationOf<'in-process'>, 'handler'>, Omit<SchemaDeclarationOf<'in-process'>, 'handler'>>>().toEqualTypeOf<true>();
  });

  it('the service settings: server, checkpoints, shutdownTimeoutSeconds, logLevel, api ($schema is for editors only)', () => {
    type SchemaSettings = Strict<Omit<Schema, 'pipelines' | 'functions' | '$schema'>>;
    expectTypeOf<KeyDiff<ServiceSettingsInput, SchemaSettings>>().toEqualTypeOf<never>();
    expectTypeOf<Mutual<ServiceSettingsInput, SchemaSettings>>().toEqualTypeOf<true>();
  });
});

describe('what the types leave out, the validator refuses', () => {
  const SOURCES = {
    sqs: { type: 'sqs', queueUrl: 'http://127.0.0.1:19324/000000000000/orders' },
    kinesis: { type: 'kinesis', streamName: 'orders' },
    'dynamodb-streams': { type: 'dynamodb-streams', tableName: 'orders' },
    kafka: { type: 'kafka', bootstrapServers: ['127.0.0.1:19092'], topics: ['orders'] },
  } as const;
  const SAMPLES: Record<string, unknown> = {
    startingPosition: 'TRIM_HORIZON',
    startingPositionTimestamp: 1,
    parallelizationFactor: 2,
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: 1,
    maximumRecordAgeInSeconds: 60,
    destinationConfig: { onFailure: { destination: 'file:///tmp/failed.jsonl' } },
    tumblingWindowInSeconds: 60,
    provisionedPollerConfig: { minimumPollers: 2, maximumPollers: 10 },
  };
  const issues = (pipeline: Record<string, unknown>): string[] => {
    try {
      resolveConfigObject({ server: { enabled: false }, pipelines: [{ name: 'p', function: { type: 'in-process', handler: () => null }, ...pipeline }] }, { env: {} });
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.issues.map((issue) => issue.path);
    }
  };
  const startOf = (type: SourceTypeInput): Record<string, unknown> => (type === 'sqs' ? {} : { startingPosition: 'TRIM_HORIZON' });

  it.each(Object.keys(SOURCES) as SourceTypeInput[])('%s', (type) => {
    const source = SOURCES[type];
    expect(issues({ source, ...startOf(type) })).toEqual([]);
    for (const field of REFUSED[type]) {
      const timestamp = field === 'startingPositionTimestamp' && type !== 'sqs' ? { startingPosition: 'AT_TIMESTAMP' } : {};
      expect({ field, paths: issues({ source, ...startOf(type), ...timestamp, [field]: SAMPLES[field] }) }).toEqual({
        field,
        paths: expect.arrayContaining([`pipelines[0].${field === 'startingPositionTimestamp' && type === 'dynamodb-streams' ? 'startingPosition' : field}`]) as unknown,
      });
    }
    if (type !== 'sqs') expect(issues({ source })).toEqual(['pipelines[0].startingPosition']);
  });

  it('DynamoDB Streams refuses AT_TIMESTAMP', () => {
    expect(issues({ source: SOURCES['dynamodb-streams'], startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: 1 })).toContain('pipelines[0].startingPosition');
  });
});
