/**
 * Positions of Kinesis user records in a shard, as the engine stores and orders them (decimal strings, compared
 * numerically by the checkpoint tracker). A KPL-aggregated Kinesis record holds many user records under one sequence
 * number, so the position extends the sequence number with the user record's place in it — the KCL checkpoints the
 * same pair (`checkpoint` + `checkpointSubSequenceNumber`,
 * https://github.com/awslabs/amazon-kinesis-client/blob/master/docs/lease-lifecycle.md):
 *
 *     position = "0" + sequenceNumber + suffix        suffix: 8 digits
 *
 * - `suffix` is the sub-sequence number (00000000, 00000001, …) of a user record inside an aggregate, and
 *   {@link LAST_SUFFIX} (99999999) for the last user record of a Kinesis record — which every plain (not aggregated)
 *   record is. A fixed-width suffix keeps the order of (sequenceNumber, subSequenceNumber) as a plain number.
 * - A position with the last suffix means "this whole Kinesis record is done": a reader resumes AFTER_SEQUENCE_NUMBER,
 *   exactly as before aggregation existed. Any other suffix means "inside an aggregate": the reader resumes
 *   AT_SEQUENCE_NUMBER and skips the user records already settled, as the KCL does after a sub-sequence checkpoint.
 * - The leading "0" does not change the number, but tells these positions apart from the bare sequence numbers that
 *   earlier builds stored (Kinesis sequence numbers never start with 0): such a checkpoint resumes AFTER it.
 *
 * Pure: no I/O.
 */
import { TributaryError } from '../../src/errors.js';

const SUFFIX_DIGITS = 8;
/** Suffix of the last (or only) user record of a Kinesis record. */
export const LAST_SUFFIX = '9'.repeat(SUFFIX_DIGITS);
/** Most user records an aggregate may hold (their sub-sequence numbers must stay below {@link LAST_SUFFIX}). */
export const MAX_SUB_RECORDS = 10 ** SUFFIX_DIGITS - 1;
const ENCODED = new RegExp(`^0([1-9][0-9]*|0)([0-9]{${SUFFIX_DIGITS}})$`);
const SEQUENCE_NUMBER = /^(0|[1-9][0-9]*)$/;

/** Where a reader starts again after a stored position. */
export type ResumePoint =
  /** The Kinesis record is done: AFTER_SEQUENCE_NUMBER, nothing to skip. */
  | { readonly kind: 'after-record'; readonly sequenceNumber: string }
  /** Inside an aggregate: AT_SEQUENCE_NUMBER, then skip its user records up to `subSequenceNumber`. */
  | { readonly kind: 'inside-record'; readonly sequenceNumber: string; readonly subSequenceNumber: number };

/**
 * The position of one user record. `subSequenceNumber` is null for a plain record; `last` marks the last user record
 * of an aggregate.
 */
export function userRecordPosition(sequenceNumber: string, subSequenceNumber: number | null, last: boolean): string {
  if (!SEQUENCE_NUMBER.test(sequenceNumber)) throw new TributaryError('SOURCE_READ_FAILED', `Kinesis returned a malformed sequence number: ${JSON.stringify(sequenceNumber)}`);
  if (subSequenceNumber !== null && (!Number.isInteger(subSequenceNumber) || subSequenceNumber < 0 || subSequenceNumber >= MAX_SUB_RECORDS)) {
    throw new TributaryError('INTERNAL', `sub-sequence number out of range: ${subSequenceNumber}`);
  }
  const suffix = last || subSequenceNumber === null ? LAST_SUFFIX : String(subSequenceNumber).padStart(SUFFIX_DIGITS, '0');
  return `0${sequenceNumber}${suffix}`;
}

/** Where to resume after `position` (one of {@link userRecordPosition}, or a bare sequence number stored earlier). */
export function resumePointOf(position: string): ResumePoint {
  const match = ENCODED.exec(position);
  if (match === null) {
    if (SEQUENCE_NUMBER.test(position)) return { kind: 'after-record', sequenceNumber: position };
    throw new TributaryError('CHECKPOINT_FAILED', `not a Kinesis position: ${JSON.stringify(position)}`);
  }
  const [, sequenceNumber = '', suffix = ''] = match;
  if (suffix === LAST_SUFFIX) return { kind: 'after-record', sequenceNumber };
  return { kind: 'inside-record', sequenceNumber, subSequenceNumber: Number(suffix) };
}

/** The Kinesis sequence number a position belongs to (AWS's `sequenceNumber`, e.g. for on-failure records). */
export function sequenceNumberOfPosition(position: string): string {
  return resumePointOf(position).sequenceNumber;
}

/**
 * True when `position` is a user record that `point` has already passed: the same aggregate, at or before the
 * settled sub-sequence number. A reader that resumed AT_SEQUENCE_NUMBER drops these.
 */
export function isSettledBy(position: string, point: ResumePoint): boolean {
  if (point.kind !== 'inside-record') return false;
  const match = ENCODED.exec(position);
  return match !== null && match[1] === point.sequenceNumber && Number(match[2]) <= point.subSequenceNumber;
}
