/**
 * The campaign's handler: what it writes to the ledger and what it reports failed decides what the campaign
 * counts, so its rules are checked here with events of each source's shape.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as ChaosHandler from '../../chaos/handler/chaos-handler.mjs';


const dir = mkdtempSync(join(tmpdir(), 'chaos-handler-'));
const ledger = join(dir, 'ledger.jsonl');
const faults = join(dir, 'faults.jsonl');
let handler: typeof ChaosHandler.handler;

beforeAll(async () => {
  Object.assign(process.env, {
    CHAOS_LEDGER: ledger,
    CHAOS_FAULTS: faults,
    CHAOS_COUNTS: join(dir, 'counts'),
    CHAOS_POISON: 'p1',
    CHAOS_TRANSIENT: 't1',
    CHAOS_TRANSIENT_FAILS: '2',
    CHAOS_NEIGHBOURS: 'n1',
    CHAOS_SOURCE: 'kinesis',
    CHAOS_P_THROW: '0',
  });
  ({ handler } = await import('../../chaos/handler/chaos-handler.mjs'));
});

const lines = (file: string): { id?: string; k?: string }[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { id?: string; k?: string }) : [];

const kinesis = (...ids: string[]) => ({
  Records: ids.map((id, i) => ({ eventSource: 'aws:kinesis', kinesis: { partitionKey: 'k', sequenceNumber: String(100 + i), data: Buffer.from(JSON.stringify({ id, key: 'k', seq: i })).toString('base64') } })),
});
const sqs = (...records: [id: string, group: string | null][]) => ({
  Records: records.map(([id, group], i) => ({ eventSource: 'aws:sqs', messageId: `m-${id}`, body: JSON.stringify({ id, key: group ?? 'k', seq: i }), attributes: group === null ? {} : { MessageGroupId: group } })),
});

describe('chaos handler', () => {
  it('writes every handled record once, before returning success', async () => {
    const before = lines(ledger).length;
    expect(await handler(kinesis('a', 'b'))).toEqual({ batchItemFailures: [] });
    expect(lines(ledger).slice(before).map((l) => l.id)).toEqual(['a', 'b']);
  });

  it('streams: reports the poison record and everything after it, and writes only what came before', async () => {
    const before = lines(ledger).length;
    const result = await handler(kinesis('c', 'p1', 'd'));
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['101', '102']);
    expect(lines(ledger).slice(before).map((l) => l.id)).toEqual(['c']);
  });

  it('a neighbour fails while batched, and once alone in this process, then succeeds', async () => {
    expect((await handler(kinesis('n1', 'e'))).batchItemFailures).toHaveLength(2);
    expect((await handler(kinesis('n1'))).batchItemFailures).toHaveLength(1);
    expect((await handler(kinesis('n1'))).batchItemFailures).toHaveLength(0);
  });

  it('queues: a standard queue returns only the failed message, a FIFO queue the rest of its group too', async () => {
    process.env['CHAOS_SOURCE'] = 'sqs';
    const standard = await handler(sqs(['p1', null], ['f', null]));
    expect(standard.batchItemFailures).toEqual([{ itemIdentifier: 'm-p1' }]);
    const fifo = await handler(sqs(['g', 'A'], ['p1', 'A'], ['h', 'B'], ['i', 'A']));
    expect(fifo.batchItemFailures).toEqual([{ itemIdentifier: 'm-p1' }, { itemIdentifier: 'm-i' }]);
    process.env['CHAOS_SOURCE'] = 'kinesis';
  });

  it('logs every fault it injected', () => {
    expect(lines(faults).filter((f) => f.k === 'poison').length).toBeGreaterThanOrEqual(3);
    expect(lines(faults).filter((f) => f.k === 'transient').length).toBe(2);
  });
});
