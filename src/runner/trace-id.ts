/**
 * The X-Ray trace header Lambda gives each invocation, in `_X_AMZN_TRACE_ID` and `context.xRayTraceId`:
 * `Root=1-<epoch seconds, 8 hex>-<96-bit random, 24 hex>;Parent=<64-bit segment id, 16 hex>;Sampled=0`. This is the
 * header of an untraced invocation — `Sampled=0`, as Lambda with tracing off (PassThrough) sends it; with tracing
 * on, the engine hands the runners the invocation span's header instead (InvokeOptions.trace).
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
import { randomBytes } from 'node:crypto';

/** `bytes` random bytes as lowercase hex (injected in tests). */
export type RandomHex = (bytes: number) => string;

export const randomHex: RandomHex = (bytes) => randomBytes(bytes).toString('hex');

export function traceHeader(nowMs: number, random: RandomHex = randomHex): string {
  const seconds = Math.floor(nowMs / 1000).toString(16).padStart(8, '0');
  return `Root=1-${seconds}-${random(12)};Parent=${random(8)};Sampled=0`;
}
