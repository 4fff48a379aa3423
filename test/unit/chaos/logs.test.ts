import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idsInRanges, discardedRanges } from '../../chaos/sources/destination-file.ts';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/observability/logger.ts';
import { droppedRecords, heldShards, leaseMoves, notableEvents, parseLogLine } from '../../chaos/log-events.ts';

const log = (msg: string, fields: Record<string, unknown> = {}) => parseLogLine({ level: 30, time: 1, msg, ...fields });

describe('log events', () => {
  it("reads the service's own log lines: ISO time and level label (a takeover was timed at 0.0 s when they read as 0)", () => {
    const written: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (written.push(chunk.toString()), done()) });
    const before = Date.now();
    createLogger('info', sink).warn({ shard: 's0', reason: 'expired' }, 'took lease');
    const line = parseLogLine(JSON.parse(written.join('')) as unknown);
    expect(line.msg).toBe('took lease');
    expect(line.level).toBe(40);
    expect(line.time).toBeGreaterThanOrEqual(before - 1_000);
    expect(line.time).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(line['shard']).toBe('s0');
  });

  it('follows the shards a process holds, and counts moves that may redeliver a batch', () => {
    const lines = [
      log('took lease', { shard: 's0', reason: 'free' }),
      log('took lease', { shard: 's1', stolenFrom: 'w2' }),
      log('took lease', { shard: 's2', reason: 'expired' }),
      log('lost lease', { shard: 's2', reason: 'renewal-refused' }),
      log('released lease', { shard: 's0' }),
    ];
    expect([...heldShards(lines)]).toEqual(['s1']);
    expect(leaseMoves(lines)).toBe(2);
  });

  it('sums dropped records and names why a pipeline stopped', () => {
    const lines = [
      log('records dropped (no on-failure destination)', { count: 2 }),
      log('records dropped (RetryAttemptsExhausted; no on-failure destination)', { count: 1 }),
      log('pipeline state', { state: 'Failed', reason: 'DescribeTable ECONNREFUSED' }),
      log('Kafka consumer crashed', { restarting: false, err: 'coordinator not found' }),
    ];
    expect(droppedRecords(lines)).toBe(3);
    expect(notableEvents(lines).map((n) => n.text)).toEqual(['pipeline Failed: DescribeTable ECONNREFUSED', 'Kafka consumer crashed (restarting: false): coordinator not found']);
  });
});

describe('on-failure file', () => {
  it('maps stream and Kafka invocation records back to record ids by position', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'chaos-dest-')), 'failed.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ DDBStreamBatchInfo: { shardId: 's', startSequenceNumber: '200', endSequenceNumber: '300' } }),
        JSON.stringify({ KafkaBatchInfo: { recordsInfo: { 't-0': { firstRecordOffset: '5', lastRecordOffset: '6' } } } }),
        '',
      ].join('\n'),
    );
    const index = new Map([
      ['s', new Map([['100', 'a'], ['200', 'b'], ['300', 'c'], ['301', 'd']])],
      ['t-0', new Map([['5', 'k5'], ['6', 'k6'], ['7', 'k7']])],
    ]);
    expect(idsInRanges(discardedRanges(file, 'DDBStreamBatchInfo'), index)).toEqual(['b', 'c']);
    expect(idsInRanges(discardedRanges(file, 'KafkaBatchInfo'), index)).toEqual(['k5', 'k6']);
  });
});
