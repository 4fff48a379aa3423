/**
 * Lambda's DynamoDB Streams event source mapping, end to end against real DynamoDB Local, with file checkpoints.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient, StreamViewType } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TributaryService } from '../../src/index.js';
import { streamService } from './helpers/stream-service.ts';
import { startCli } from './helpers/cli.ts';
import { createStreamTable, deleteTable, dynamodbClient, dynamodbEndpoint, put, remove, update, type DynamoDbEventRecord } from './helpers/dynamodb.ts';
import { uniqueName } from './helpers/sqs.ts';
import { waitFor } from './helpers/wait.ts';

let client: DynamoDBClient;
const tables: string[] = [];
const services: TributaryService[] = [];

beforeAll(() => {
  client = dynamodbClient();
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await Promise.all(tables.map((t) => deleteTable(client, t)));
  client.destroy();
});

async function table(view: StreamViewType): Promise<string> {
  const name = uniqueName('ddb');
  tables.push(name);
  await createStreamTable(client, name, view);
  return name;
}

function service(tableName: string, handler: (event: { Records: DynamoDbEventRecord[] }) => unknown, pipeline: Record<string, unknown> = {}, dir?: string): TributaryService {
  const source = { type: 'dynamodb-streams', tableName, endpoint: dynamodbEndpoint(), region: 'us-east-1' };
  const s = streamService({ name: 'ddb', source, handler, pipeline, ...(dir === undefined ? {} : { dir }) });
  services.push(s);
  return s;
}

/** Field order of AWS's documented sample record (reference §4.2). */
const RECORD_KEYS = ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN'];

describe('DynamoDB Streams pipeline', () => {
  it.each([
    ['KEYS_ONLY', { INSERT: [], MODIFY: [], REMOVE: [] }],
    ['NEW_IMAGE', { INSERT: ['NewImage'], MODIFY: ['NewImage'], REMOVE: [] }],
    ['OLD_IMAGE', { INSERT: [], MODIFY: ['OldImage'], REMOVE: ['OldImage'] }],
    ['NEW_AND_OLD_IMAGES', { INSERT: ['NewImage'], MODIFY: ['NewImage', 'OldImage'], REMOVE: ['OldImage'] }],
  ] as const)('%s: events match AWS field for field', async (view, images) => {
    const name = await table(view);
    const records: DynamoDbEventRecord[] = [];
    const s = service(name, (event) => {
      records.push(...event.Records);
      return {};
    });
    await s.start();
    const key = { pk: { S: 'item-1' }, sk: { N: '7' } };
    await put(client, name, { ...key, n: { N: '1' }, tags: { SS: ['a', 'b'] } });
    await update(client, name, key, 2);
    await remove(client, name, key);
    await waitFor(() => records.length >= 3, 20_000, 'three stream records');
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const sequences = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
    expect(sequences[0]! < sequences[1]! && sequences[1]! < sequences[2]!).toBe(true);
    for (const record of records) {
      expect(Object.keys(record)).toEqual(RECORD_KEYS);
      expect(record).toMatchObject({ eventSource: 'aws:dynamodb', eventVersion: expect.stringMatching(/^1\.\d$/) as unknown, eventSourceARN: expect.stringContaining(`:table/${name}/stream/`) as unknown });
      expect(record.eventID).toMatch(/\S+/);
      const expectedImages = images[record.eventName];
      expect(Object.keys(record.dynamodb)).toEqual(['ApproximateCreationDateTime', 'Keys', ...['NewImage', 'OldImage'].filter((i) => (expectedImages as readonly string[]).includes(i)), 'SequenceNumber', 'SizeBytes', 'StreamViewType']);
      expect(record.dynamodb.Keys).toEqual(key);
      expect(record.dynamodb.StreamViewType).toBe(view);
      expect(typeof record.dynamodb.ApproximateCreationDateTime).toBe('number');
      expect(record.dynamodb.SizeBytes).toBeGreaterThan(0);
    }
    if (view === 'NEW_AND_OLD_IMAGES') {
      expect(records[1]?.dynamodb.OldImage).toEqual({ pk: { S: 'item-1' }, sk: { N: '7' }, n: { N: '1' }, tags: { SS: ['a', 'b'] } });
      expect(records[1]?.dynamodb.NewImage?.['n']).toEqual({ N: '2' });
    }
  });

  it('keeps per-item order with parallelizationFactor 3 and filters on dynamodb fields', async () => {
    const name = await table('NEW_IMAGE');
    const items = 20;
    const updates = 8;
    const seen = new Map<string, number[]>();
    let total = 0;
    const s = service(name, (event) => {
      for (const record of event.Records) {
        const pk = record.dynamodb.Keys['pk']?.S ?? '';
        seen.set(pk, [...(seen.get(pk) ?? []), Number(record.dynamodb.NewImage?.['n']?.['N'])]);
      }
      total += event.Records.length;
      return {};
    }, { parallelizationFactor: 3, batchSize: 25, filterCriteria: { filters: [{ pattern: '{"eventName":["INSERT","MODIFY"],"dynamodb":{"NewImage":{"kind":{"S":["tracked"]}}}}' }] } });
    await s.start();
    for (let n = 0; n < updates; n += 1) {
      await Promise.all(Array.from({ length: items }, (_, i) => put(client, name, { pk: { S: `item-${i}` }, sk: { N: '1' }, n: { N: String(n) }, kind: { S: i % 4 === 3 ? 'ignored' : 'tracked' } })));
    }
    const tracked = Array.from({ length: items }, (_, i) => i).filter((i) => i % 4 !== 3);
    await waitFor(() => total >= tracked.length * updates, 30_000, 'every tracked update');
    expect([...seen.keys()].sort()).toEqual(tracked.map((i) => `item-${i}`).sort());
    for (const [, ns] of seen) expect(ns).toEqual(Array.from({ length: updates }, (_, i) => i));
  });

  it('isolates a poison item to the on-failure record (DDBStreamBatchInfo)', async () => {
    const name = await table('NEW_AND_OLD_IMAGES');
    const dir = mkdtempSync(join(tmpdir(), 'tributary-ddb-'));
    const failed = join(dir, 'failed.jsonl');
    const handled: string[] = [];
    const s = service(name, (event) => {
      if (event.Records.some((r) => r.dynamodb.NewImage?.['poison'] !== undefined)) throw new Error('poison');
      handled.push(...event.Records.map((r) => r.dynamodb.Keys['pk']?.S ?? ''));
      return {};
    }, { bisectBatchOnFunctionError: true, maximumRetryAttempts: 1, destinationConfig: { onFailure: { destination: `file://${failed}` } } }, dir);
    for (let i = 0; i < 40; i += 1) await put(client, name, { pk: { S: `p${i}` }, sk: { N: '1' }, ...(i === 21 ? { poison: { BOOL: true } } : {}) });
    await s.start();
    await waitFor(() => handled.length >= 39 && existsSync(failed), 30_000, 'the rest handled and the poison discarded');
    const lines = readFileSync(failed, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] ?? '{}') as Record<string, Record<string, unknown>>;
    expect(Object.keys(record)).toEqual(['requestContext', 'responseContext', 'version', 'timestamp', 'DDBStreamBatchInfo']);
    expect(record['requestContext']).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 });
    expect(record['DDBStreamBatchInfo']).toMatchObject({ batchSize: 1, streamArn: expect.stringContaining(`:table/${name}/stream/`) as unknown });
    expect(record['DDBStreamBatchInfo']?.['startSequenceNumber']).toBe(record['DDBStreamBatchInfo']?.['endSequenceNumber']);
    expect(handled.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `p${i}`).filter((p) => p !== 'p21').sort());
  });

  it('a SIGKILL and a restart of tributary run lose nothing', async () => {
    const name = await table('NEW_IMAGE');
    const dir = mkdtempSync(join(tmpdir(), 'tributary-ddb-cli-'));
    mkdirSync(join(dir, 'handlers'));
    writeFileSync(
      join(dir, 'handlers', 'ledger.mjs'),
      `import { appendFileSync } from 'node:fs';
export const handler = async (event) => {
  await new Promise((r) => setTimeout(r, 30));
  appendFileSync(process.env.LEDGER_FILE, event.Records.map((r) => r.dynamodb.Keys.pk.S + '\\n').join(''));
  return {};
};
`,
    );
    const file = join(dir, 'pipelines.yaml');
    writeFileSync(
      file,
      `server: { enabled: false }
checkpoints: { type: file, path: ./checkpoints }
pipelines:
  - name: ledger
    source: { type: dynamodb-streams, tableName: "\${TABLE}", endpoint: "\${DDB_ENDPOINT}", region: us-east-1 }
    function: { type: module, handler: ./handlers/ledger.handler, timeout: 10, environment: { LEDGER_FILE: '\${LEDGER_FILE}' } }
    startingPosition: TRIM_HORIZON
    batchSize: 20
`,
    );
    const ledger = join(dir, 'ledger.txt');
    const written = Array.from({ length: 400 }, (_, i) => `i${i}`);
    for (let i = 0; i < written.length; i += 50) await Promise.all(written.slice(i, i + 50).map((pk) => put(client, name, { pk: { S: pk }, sk: { N: '1' } })));
    const lines = (): string[] => (existsSync(ledger) ? readFileSync(ledger, 'utf8').split('\n').filter((l) => l !== '') : []);
    const env = { TABLE: name, DDB_ENDPOINT: dynamodbEndpoint(), LEDGER_FILE: ledger, LOG_LEVEL: 'warn' };
    const first = startCli(['run', '-c', file], env);
    await waitFor(() => lines().length >= 100, 30_000, 'the first 100 records');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(lines().length).toBeLessThan(written.length);
    const second = startCli(['run', '-c', file], env);
    await waitFor(() => new Set(lines()).size >= written.length, 60_000, 'every record after the restart');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(new Set(lines())).toEqual(new Set(written));
    expect(lines().length - written.length).toBeLessThanOrEqual(20); // at most the in-flight batch again
  });
});
