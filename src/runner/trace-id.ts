/**
 * The X-Ray trace header Lambda gives each invocation, in `_X_AMZN_TRACE_ID` and `context.xRayTraceId`:
 * `Root=1-<epoch seconds, 8 hex>-<96-bit random, 24 hex>;Parent=<64-bit segment id, 16 hex>;Sampled=0`. This is the
 * header of an untraced invocation — `Sampled=0`, as Lambda with tracing off (PassThrough) sends it; with tracing
 * on, the engine hands the runners the invocation span's header instead (InvokeOptions.trace).
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
import { randomFillSync } from 'node:crypto';

/** `bytes` random bytes as lowercase hex (injected in tests). */
export type RandomHex = (bytes: number) => string;

/**
 * Random bytes are drawn from a pool refilled 4 KiB at a time: every invocation needs 20 of them for its trace
 * header, and one call into the CSPRNG per invocation costs more than the rest of the header (as Node's own
 * `randomUUID` caches its entropy).
 */
const POOL = Buffer.alloc(4096);
let used = POOL.length;

export const randomHex: RandomHex = (bytes) => {
  if (bytes > POOL.length) return randomFillSync(Buffer.alloc(bytes)).toString('hex');
  if (used + bytes > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const hex = POOL.toString('hex', used, used + bytes);
  used += bytes;
  return hex;
};

export function traceHeader(nowMs: number, random: RandomHex = randomHex): string {
  const seconds = Math.floor(nowMs / 1000).toString(16).padStart(8, '0');
  return `Root=1-${seconds}-${random(12)};Parent=${random(8)};Sampled=0`;
}
