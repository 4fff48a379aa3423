/**
 * Which sub-lane of a shard a record goes to when ParallelizationFactor > 1.
 *
 * AWS keeps order per partition key (Kinesis) or per item, i.e. partition + sort key (DynamoDB), when it processes
 * up to ParallelizationFactor batches of one shard at once (reference §2.2, §3.2;
 * https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html). It does not document how keys
 * are assigned to its concurrent batches. We hash the key like Kinesis maps partition keys to hash keys — MD5 of
 * the key's UTF-8 bytes read as a 128-bit unsigned integer — and take it modulo `factor`. Not a split of the hash
 * range into `factor` contiguous ranges: a shard owns a contiguous hash range itself, so every key of a shard would
 * land in the same range and the sub-lanes would sit idle. Deterministic across processes and restarts.
 *
 * `node:crypto` is computation, not I/O; the policy folder's lint rule forbids only I/O modules.
 */
import { createHash } from 'node:crypto';
import { TributaryError } from '../errors.js';

/**
 * The sub-lane, in `0 .. factor-1`, of a record with this partition key. Callers pass a canonical key string:
 * the Kinesis partition key, a stable serialisation of the DynamoDB item key, or the Kafka key.
 * Throws `INTERNAL` unless `factor` is an integer ≥ 1.
 */
export function partitionLane(partitionKey: string, factor: number): number {
  if (!Number.isInteger(factor) || factor < 1) {
    throw new TributaryError('INTERNAL', `parallelization factor must be a positive integer (got ${factor})`);
  }
  if (factor === 1) return 0;
  return Number(hashKey(partitionKey) % BigInt(factor));
}

/** Kinesis' explicit hash key for a partition key: MD5 of its UTF-8 bytes as an unsigned 128-bit integer. */
export function hashKey(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}
