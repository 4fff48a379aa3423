/**
 * Scalar field types of the library input (DESIGN §4: Lambda's parameter names, units and ranges). A numeric or
 * boolean field takes a number / boolean, or a `${VAR}` reference that `createPipeline` / `createService` replace
 * from `options.env` (default `process.env`) before validating — the only string such a field takes in code, so
 * `batchSize: 'ten'` does not compile while `batchSize: '${BATCH_SIZE:-10}'` does. Every optional field also takes
 * `undefined` (the same as leaving it out), so `queueUrl: process.env.QUEUE_URL` compiles under
 * `exactOptionalPropertyTypes`. Ranges are checked when the pipeline is created (a `ConfigError` names the field).
 */

/** A `${VAR}` or `${VAR:-default}` reference to an environment variable. */
export type Interpolated = `\${${string}}`;

/** A number, or a `${VAR}` reference holding one. */
export type NumberInput = number | Interpolated;

/** `true` / `false`, or a `${VAR}` reference holding one. */
export type BooleanInput = boolean | Interpolated;

/** `region` and `endpoint` of the AWS clients (sources, lambda functions, lease tables). */
export interface AwsClientInput {
  /** AWS region; default: the region of the ARN, then the SDK chain (`AWS_REGION` …). */
  readonly region?: string | undefined;
  /** Endpoint override, e.g. an emulator (`http://127.0.0.1:4566`); default the real AWS endpoint. */
  readonly endpoint?: string | undefined;
}
