import { describe, expect, it } from 'vitest';
import { checkLedger, orderBreaks } from '../../chaos/checks.ts';
import type { LedgerEntry } from '../../chaos/ledger.ts';
import type { ChaosRecord } from '../../chaos/records.ts';

const records = (n: number): ChaosRecord[] => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, key: `k${i % 2}`, seq: Math.floor(i / 2) }));

let line = 0;
const delivered = (id: string, u: string | null, p: string): LedgerEntry => ({ id, u, p, i: 'A', pid: 1, t: 0, line: ++line });

describe('checkLedger', () => {
  it('counts lost records, duplicates and unknown ids', () => {
    const produced = records(4);
    const ledger = [delivered('r0', 'k0', '0'), delivered('r1', 'k1', '0'), delivered('r0', 'k0', '0'), delivered('x9', 'k0', '5')];
    const result = checkLedger({ produced, ledger, discarded: [], poison: [], discardTo: 'destination', ordered: false });
    expect(result.lost).toEqual(['r2', 'r3']);
    expect(result.duplicates).toBe(1);
    expect(result.duplicated).toEqual([{ id: 'r0', count: 2 }]);
    expect(result.unknown).toEqual(['x9']);
  });

  it('counts the destination as handled, and flags non-poison records found there', () => {
    const produced = records(3);
    const ledger = [delivered('r0', 'k0', '0')];
    const result = checkLedger({ produced, ledger, discarded: ['r1', 'r2', 'r2'], poison: ['r1'], discardTo: 'destination', ordered: false });
    expect(result.lost).toEqual([]);
    expect(result.prematureDiscards).toEqual(['r2']);
    expect(result.discardDuplicates).toBe(1);
    expect(result.poisonMissing).toEqual([]);
  });

  it('poison: never handled, and in the destination when there is one', () => {
    const produced = records(2);
    const handledPoison = checkLedger({ produced, ledger: [delivered('r0', null, '0'), delivered('r1', null, '0')], discarded: [], poison: ['r1'], discardTo: 'destination', ordered: false });
    expect(handledPoison.poisonHandled).toEqual(['r1']);
    expect(handledPoison.poisonMissing).toEqual(['r1']);
    const dropped = checkLedger({ produced, ledger: [delivered('r0', null, '0')], discarded: [], poison: ['r1'], discardTo: 'dropped', ordered: false });
    expect(dropped.lost).toEqual([]);
    expect(dropped.poisonMissing).toEqual([]);
  });
});

describe('orderBreaks', () => {
  it('accepts redeliveries of earlier records once later ones were first delivered', () => {
    const ledger = [delivered('a', 'k', '1'), delivered('b', 'k', '2'), delivered('a', 'k', '1'), delivered('c', 'k', '3')];
    expect(orderBreaks(ledger)).toEqual([]);
  });

  it('finds a record first delivered after one behind it, per unit, comparing big sequence numbers', () => {
    const ahead = delivered('b', 'k', '49680754024188092592229468413513078404352378638000193586');
    const behind = delivered('a', 'k', '49680754024188092592229468413513078404352378638000193585');
    const ledger = [delivered('x', 'other', '9'), ahead, delivered('y', 'other', '10'), behind];
    expect(orderBreaks(ledger)).toEqual([{ unit: 'k', ahead, behind }]);
  });

  it('ignores records without an ordering unit', () => {
    expect(orderBreaks([delivered('b', null, '2'), delivered('a', null, '1')])).toEqual([]);
  });

  it('is not checked when the source has no order', () => {
    const ledger = [delivered('r1', 'k1', '2'), delivered('r0', 'k1', '1')];
    expect(checkLedger({ produced: [], ledger, discarded: [], poison: [], discardTo: 'destination', ordered: false }).orderBreaks).toEqual([]);
    expect(checkLedger({ produced: [], ledger, discarded: [], poison: [], discardTo: 'destination', ordered: true }).orderBreaks).toHaveLength(1);
  });
});

describe('collateral discards', () => {
  it('FIFO messages returned behind a poison may reach the DLQ with it', () => {
    const produced = records(3);
    const result = checkLedger({ produced, ledger: [], discarded: ['r0', 'r1', 'r2'], poison: ['r0'], collateral: new Set(['r1']), discardTo: 'destination', ordered: true });
    expect(result.prematureDiscards).toEqual(['r2']);
  });
});
