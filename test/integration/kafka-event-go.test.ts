/**
 * The Kafka event Tributary sends, decoded by a real Go Lambda handler's library: aws-lambda-go's
 * `events.KafkaEvent` (fetched through the Go module proxy by `go run`), whose header values are Java's signed bytes
 * (`[]int8` on the wire). With unsigned bytes (`ë` → [195,171]) the event does not unmarshal at all: "cannot
 * unmarshal number 195 into Go struct field KafkaRecord.records.headers of type int8".
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toKafkaEvent, toSourceRecord, type KafkaRecordData } from '../../connectors/kafka/event.js';

const PROGRAM = fileURLToPath(new URL('../fixtures/go-kafka-event/', import.meta.url));

/** Runs the Go decoder on `input`; resolves with stdout, rejects with stderr. */
function decodeInGo(input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.env['GO'] ?? 'go', ['run', '.'], { cwd: PROGRAM, timeout: 5 * 60_000, env: { ...process.env, GOFLAGS: '-mod=mod' } }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`go run failed (needs Go and the Go module proxy): ${stderr || error.message}`));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}

const record = (headers: KafkaRecordData['headers']): KafkaRecordData => ({
  topic: 'orders',
  partition: 0,
  offset: '42',
  timestampMs: 1_700_000_000_000,
  timestampType: 'CREATE_TIME',
  key: Buffer.from('k'),
  value: Buffer.from('{"id":1}'),
  headers,
});

describe('Kafka event headers decoded by aws-lambda-go', () => {
  it('non-ASCII and high bytes reach a Go handler intact', { timeout: 6 * 60_000 }, async () => {
    const event = toKafkaEvent([toSourceRecord(record([['name', Buffer.from('ë')], ['binary', Buffer.from([0, 127, 128, 255])], ['none', null]]))], {
      bootstrapServers: '127.0.0.1:9092',
      clusterArn: null,
    });
    const decoded = JSON.parse(await decodeInGo(JSON.stringify(event))) as { partition: string; offset: number; headers: { name: string; text: string; bytes: number[] }[] }[];
    expect(decoded).toEqual([
      {
        partition: 'orders-0',
        offset: 42,
        headers: [
          { name: 'name', text: 'ë', bytes: [195, 171] },
          { name: 'binary', text: expect.any(String), bytes: [0, 127, 128, 255] },
          { name: 'none', text: '', bytes: [] },
        ],
      },
    ]);
  });
});
