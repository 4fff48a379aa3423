// The file:// on-failure destination: JSON lines appended and fsync'ed, folders created, deliveries serialized so
// lines never interleave, failures reported as DESTINATION_FAILED and recovered from on the next delivery.

import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileDestination } from '../../../src/destination/file-destination.ts';
import { withRecordKey } from '../../../src/destination/record-key.ts';
import { TributaryError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/observability/logger.ts';

const signal = (): AbortSignal => AbortSignal.timeout(10_000);
const logger = silentLogger();

/** An AWS-shaped on-failure record (reference §3.6). */
function failureRecord(n: number, extra: Record<string, unknown> = {}): object {
  return {
    requestContext: { requestId: `req-${n}`, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2019-11-14T00:13:49.717Z',
    KinesisBatchInfo: { shardId: 'shardId-000000000000', startSequenceNumber: String(n), endSequenceNumber: String(n), batchSize: 1 },
    ...extra,
  };
}

async function lines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

async function rejection(promise: Promise<unknown>): Promise<TributaryError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TributaryError);
  return error as TributaryError;
}

describe('FileDestination', () => {
  let dir: string;
  const opened: FileDestination[] = [];
  const create = (path: string): FileDestination => {
    const destination = new FileDestination(path, logger);
    opened.push(destination);
    return destination;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-file-destination-'));
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('appends one exact JSON line per record and keeps what the file held', async () => {
    const path = join(dir, 'failed.jsonl');
    await writeFile(path, '{"earlier":true}\n');
    const destination = create(path);
    expect(destination.kind).toBe('file');
    expect(destination.target).toBe(`file://${path}`);

    const first = [failureRecord(1), failureRecord(2)];
    const second = [failureRecord(3, { note: 'line\nbreak "quoted" \u2028 ü' })];
    await destination.deliver(first, signal());
    await destination.deliver(second, signal());
    await destination.deliver([], signal());

    const written = await lines(path);
    expect(written).toEqual(['{"earlier":true}', ...[...first, ...second].map((r) => JSON.stringify(r))]);
    expect(written.slice(1).map((line) => JSON.parse(line) as unknown)).toEqual([...first, ...second]);
  });

  it('creates missing parent folders', async () => {
    const path = join(dir, 'a', 'b', 'c', 'failed.jsonl');
    await create(path).deliver([failureRecord(1)], signal());
    expect(await lines(path)).toEqual([JSON.stringify(failureRecord(1))]);
  });

  it('never interleaves lines of concurrent deliveries, also across destinations of one path', async () => {
    const path = join(dir, 'concurrent.jsonl');
    const a = create(path);
    const b = create(path);
    const big = 'x'.repeat(64 * 1024); // larger than a pipe buffer: one delivery takes several write calls
    const calls = Array.from({ length: 24 }, (_, call) => Array.from({ length: 8 }, (_, i) => ({ call, i, big })));
    await Promise.all(calls.map((records, call) => (call % 2 === 0 ? a : b).deliver(records, signal())));

    const parsed = (await lines(path)).map((line) => JSON.parse(line) as { call: number; i: number; big: string });
    expect(parsed).toHaveLength(24 * 8);
    // Each delivery's records are contiguous and in order; deliveries run in call order.
    parsed.forEach((record, index) => {
      expect(record.call).toBe(Math.floor(index / 8));
      expect(record.i).toBe(index % 8);
      expect(record.big).toBe(big);
    });
  });

  it('writes the record JSON only, never the Kafka key tag', async () => {
    const path = join(dir, 'keyed.jsonl');
    await create(path).deliver([withRecordKey(failureRecord(1), 'key-1')], signal());
    expect(await lines(path)).toEqual([JSON.stringify(failureRecord(1))]);
  });

  it('rejects with a retryable DESTINATION_FAILED when the path is a folder, and recovers once it is fixed', async () => {
    const path = join(dir, 'is-a-folder.jsonl');
    await mkdir(path);
    const destination = create(path);
    const error = await rejection(destination.deliver([failureRecord(1)], signal()));
    expect(error.code).toBe('DESTINATION_FAILED');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(path);

    await rm(path, { recursive: true });
    await destination.deliver([failureRecord(2)], signal());
    expect(await lines(path)).toEqual([JSON.stringify(failureRecord(2))]);
  });

  it('rejects with DESTINATION_FAILED when a parent is a file', async () => {
    await writeFile(join(dir, 'plain-file'), 'x');
    const error = await rejection(create(join(dir, 'plain-file', 'failed.jsonl')).deliver([failureRecord(1)], signal()));
    expect(error.code).toBe('DESTINATION_FAILED');
    expect(error.retryable).toBe(true);
  });

  it('reopens the path when the file was deleted meanwhile', async () => {
    const path = join(dir, 'rotated.jsonl');
    const destination = create(path);
    await destination.deliver([failureRecord(1)], signal());
    await unlink(path);
    await destination.deliver([failureRecord(2)], signal());
    expect(await lines(path)).toEqual([JSON.stringify(failureRecord(2))]);
  });

  it('starts on a new line after a torn last line', async () => {
    const path = join(dir, 'torn.jsonl');
    await writeFile(path, '{"torn":');
    await create(path).deliver([failureRecord(1)], signal());
    expect(await readFile(path, 'utf8')).toBe(`{"torn":\n${JSON.stringify(failureRecord(1))}\n`);
  });

  it('writes nothing for an aborted signal (retryable)', async () => {
    const path = join(dir, 'aborted.jsonl');
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(create(path).deliver([failureRecord(1)], controller.signal));
    expect(error.code).toBe('DESTINATION_FAILED');
    expect(error.retryable).toBe(true);
    await expect(readFile(path, 'utf8')).rejects.toThrow();
  });

  it('refuses a record that is not JSON (non-retryable) and writes none of the call', async () => {
    const path = join(dir, 'cycle.jsonl');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const error = await rejection(create(path).deliver([failureRecord(1), cyclic], signal()));
    expect(error.code).toBe('DESTINATION_FAILED');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('record 1');
    await expect(readFile(path, 'utf8')).rejects.toThrow();
  });

  it('close waits for accepted deliveries, is idempotent, and refuses later ones', async () => {
    const path = join(dir, 'closing.jsonl');
    const destination = create(path);
    const pending = destination.deliver([failureRecord(1)], signal());
    await Promise.all([destination.close(), destination.close()]);
    await pending;
    expect(await lines(path)).toEqual([JSON.stringify(failureRecord(1))]);
    const error = await rejection(destination.deliver([failureRecord(2)], signal()));
    expect(error.code).toBe('DESTINATION_FAILED');
    expect(error.retryable).toBe(false);
  });

  it('requires an absolute path', () => {
    expect(() => new FileDestination('relative/failed.jsonl', logger)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
