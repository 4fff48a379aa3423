// User-record positions (connectors/kinesis/position.ts): they must order as the checkpoint tracker orders decimal
// strings, tell a finished Kinesis record from a partly settled aggregate, and read the bare sequence numbers that
// earlier builds stored.
import { describe, expect, it } from 'vitest';
import { isSettledBy, LAST_SUFFIX, resumePointOf, sequenceNumberOfPosition, userRecordPosition } from '../../../connectors/kinesis/position.js';
import { compareSequenceNumbers } from '../../../src/policy/checkpoint-tracker.js';

const A = '49590338271490256608559692538361571095921575989136588898';
const B = '49590338271490256608559692538361571095921575989136588899';

describe('Kinesis user-record positions', () => {
  it('order (sequenceNumber, subSequenceNumber) as decimals, the last user record after the others', () => {
    const inOrder = [
      userRecordPosition(A, 0, false),
      userRecordPosition(A, 1, false),
      userRecordPosition(A, 41, false),
      userRecordPosition(A, 42, true),
      userRecordPosition(B, null, false),
      userRecordPosition(`${B}0`, 0, false),
    ];
    for (let i = 1; i < inOrder.length; i++) expect(compareSequenceNumbers(inOrder[i - 1] as string, inOrder[i] as string)).toBe(-1);
    // Every new position is above a bare sequence number an earlier build stored for the same or an earlier record.
    expect(compareSequenceNumbers(A, userRecordPosition(A, 0, false))).toBe(-1);
  });

  it('resumes AFTER a finished record and AT a partly settled aggregate', () => {
    expect(resumePointOf(userRecordPosition(A, null, false))).toEqual({ kind: 'after-record', sequenceNumber: A });
    expect(resumePointOf(userRecordPosition(A, 7, true))).toEqual({ kind: 'after-record', sequenceNumber: A });
    expect(resumePointOf(userRecordPosition(A, 7, false))).toEqual({ kind: 'inside-record', sequenceNumber: A, subSequenceNumber: 7 });
    expect(userRecordPosition(A, 3, false)).toBe(`0${A}00000003`);
    expect(userRecordPosition(A, null, false)).toBe(`0${A}${LAST_SUFFIX}`);
  });

  it('reads a bare sequence number stored by an earlier build as a finished record', () => {
    expect(resumePointOf(A)).toEqual({ kind: 'after-record', sequenceNumber: A });
    expect(resumePointOf('0')).toEqual({ kind: 'after-record', sequenceNumber: '0' });
    expect(sequenceNumberOfPosition(A)).toBe(A);
    expect(sequenceNumberOfPosition(userRecordPosition(B, 2, false))).toBe(B);
  });

  it('refuses what is not a position, and malformed sequence numbers', () => {
    expect(() => resumePointOf('TRIM_HORIZON')).toThrow(/not a Kinesis position/);
    expect(() => userRecordPosition('12a', null, false)).toThrow(/malformed sequence number/);
    expect(() => userRecordPosition(A, -1, false)).toThrow(/out of range/);
  });

  it('knows which user records a checkpoint inside an aggregate has settled', () => {
    const point = resumePointOf(userRecordPosition(A, 2, false));
    expect(isSettledBy(userRecordPosition(A, 0, false), point)).toBe(true);
    expect(isSettledBy(userRecordPosition(A, 2, false), point)).toBe(true);
    expect(isSettledBy(userRecordPosition(A, 3, false), point)).toBe(false);
    expect(isSettledBy(userRecordPosition(A, 9, true), point)).toBe(false);
    expect(isSettledBy(userRecordPosition(B, 0, false), point)).toBe(false);
    expect(isSettledBy(userRecordPosition(A, 0, false), resumePointOf(A))).toBe(false);
  });
});
