/**
 * Shared pieces of the control-plane tests: a Lambda handler module that writes a ledger line per record it handles
 * (so a test counts what was delivered, lost or duplicated), the ledger reader, and a Lambda SDK client for a running
 * Tributary's API.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';

/**
 * `handlers/ledger.mjs`: for each record of an SQS, Kinesis or Kafka event, one JSON line in `$LEDGER_FILE` with its id, its
 * body, the receive count (SQS) and the batch size; throws for a record whose body is `poison` (after writing a
 * `failed` line), and sleeps `$SLEEP_MS` per batch. A direct invocation `{ "holdMs": n }` touches `$MARKER_FILE`
 * then sleeps n ms (to occupy the function's concurrency); `{ "echo": x }` logs and returns it.
 */
export const LEDGER_HANDLER = `import { appendFileSync, writeFileSync } from 'node:fs';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const handler = async (event, context) => {
  if (event.holdMs !== undefined) {
    writeFileSync(process.env.MARKER_FILE, context.awsRequestId);
    await sleep(event.holdMs);
    return { held: event.holdMs };
  }
  if (event.echo !== undefined) {
    console.log('echo', JSON.stringify(event.echo));
    return { echo: event.echo, requestId: context.awsRequestId };
  }
  // SQS and Kinesis: event.Records; Kafka: event.records, lists by topic-partition.
  const kafka = Object.values(event.records ?? {}).flat();
  const records = event.Records ?? kafka;
  const rows = records.map((r) => ({
    id: r.messageId ?? r.eventID ?? r.topic + '-' + r.partition + '-' + r.offset,
    body: r.body ?? Buffer.from(r.kinesis?.data ?? r.value ?? '', 'base64').toString('utf8'),
    receives: r.attributes?.ApproximateReceiveCount ?? null,
    batch: records.length,
    fn: context.functionName,
    replica: process.env.REPLICA ?? null,
  }));
  if (process.env.MARKER_FILE) writeFileSync(process.env.MARKER_FILE + '.batch', String(records.length));
  if (Number(process.env.SLEEP_MS ?? 0) > 0) await sleep(Number(process.env.SLEEP_MS));
  if (rows.some((row) => row.body === 'poison')) {
    appendFileSync(process.env.LEDGER_FILE, JSON.stringify({ failed: rows.map((row) => row.id) }) + '\\n');
    throw new Error('poison record');
  }
  appendFileSync(process.env.LEDGER_FILE, rows.map((row) => JSON.stringify(row) + '\\n').join(''));
  return {};
};
`;

/**
 * The `functions:` section of a pipelines file declaring the ledger handler as `ledger`, its ledger file (and its
 * replica name, with `replica`) taken from the environment of `tributary run`.
 */
export function ledgerFunctionsYaml(options: { readonly replica?: boolean } = {}): string {
  const replica = options.replica === true ? ", REPLICA: '${REPLICA}'" : '';
  return `functions:
  ledger:
    type: module
    handler: ./handlers/ledger.handler
    timeout: 10
    environment: { LEDGER_FILE: '\${LEDGER_FILE}'${replica} }
`;
}

/** One handled record. */
export interface LedgerRow {
  readonly id: string;
  readonly body: string;
  readonly receives: string | null;
  readonly batch: number;
  readonly fn: string;
  /** `$REPLICA` of the process that handled it. */
  readonly replica: string | null;
}

/** Writes the handler into `<dir>/handlers/ledger.mjs`. */
export function writeLedgerHandler(dir: string): void {
  mkdirSync(join(dir, 'handlers'), { recursive: true });
  writeFileSync(join(dir, 'handlers', 'ledger.mjs'), LEDGER_HANDLER);
}

/** The handled records so far (failed attempts left out). */
export function ledger(file: string): LedgerRow[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LedgerRow | { failed: string[] })
    .filter((row): row is LedgerRow => !('failed' in row));
}

/** How many failed attempts the handler recorded. */
export function failedAttempts(file: string): number {
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.startsWith('{"failed"')).length;
}

/** Bodies that appear more than once. */
export function duplicates(rows: readonly LedgerRow[]): string[] {
  const seen = new Set<string>();
  return rows.flatMap((row) => {
    if (!seen.has(row.body)) {
      seen.add(row.body);
      return [];
    }
    return [row.body];
  });
}

/** The test's signing key (any key works against a loopback API without configured credentials). */
export const API_TEST_KEY = { accessKeyId: 'AKIDCONTROLPLANE', secretAccessKey: 'control-plane-test-secret' } as const;

/** A Lambda client for `endpoint`, without retries (a 429 must be seen, not retried away). */
export function lambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient({ endpoint, region: 'us-east-1', credentials: API_TEST_KEY, maxAttempts: 1 });
}
