/**
 * A clean Kafka run through the built CLI prints no library noise (issue 17): no Node warning such as kafkajs#1751's
 * `TimeoutNegativeWarning`, no kafkajs line at warn or error — with the README's Kafka handler, one bad record sent
 * to a `kafka://` on-failure topic (so the destination's producer runs too), and a SIGTERM drain at the end.
 *
 * The CLI's own `warning` listener (src/cli/main.ts) hides TimeoutNegativeWarning from stderr, so stderr alone
 * cannot tell whether kafkajs still sets negative timers: a preload records every `process.emitWarning` call
 * (Node's timers emit through it) before any listener sees it. Without connectors/kafka/quiet-request-queue.ts
 * that record has kafkajs's TimeoutNegativeWarning.
 */
import { copyFileSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from './helpers/cli.ts';
import { createTopic, kafkaBrokers, kafkaTestClient, produce, readTopic, type KafkaTestClient } from './helpers/kafka.ts';
import { waitFor } from './helpers/wait.ts';

const HANDLER = fileURLToPath(new URL('../../config/handlers/kafka-payments.mjs', import.meta.url));
const run = `${Date.now()}-${process.pid}`;
const topic = `quiet-payments-${run}`;
const failedTopic = `quiet-payments-failed-${run}`;
// This file's ports: the ops helper's range (21300-21399).
const port = 21300 + (process.pid % 50);

let client: KafkaTestClient;
beforeAll(async () => {
  client = await kafkaTestClient();
  await createTopic(client, topic, 2);
  await createTopic(client, failedTopic, 1);
});
afterAll(async () => {
  await client.admin.deleteTopics({ topics: [topic, failedTopic] }).catch(() => undefined);
  await client.close();
});

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{pipeline="payments"}`));
  return line === undefined ? -1 : Number(line.split(' ').pop());
}

describe('a clean Kafka run is quiet', () => {
  it('stderr carries no Node warning and no kafkajs warn/error line from start to SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tributary-quiet-'));
    mkdirSync(join(dir, 'handlers'));
    copyFileSync(HANDLER, join(dir, 'handlers', 'kafka-payments.mjs'));
    const file = join(dir, 'pipelines.yaml');
    writeFileSync(
      file,
      `server: { host: 127.0.0.1, port: ${port} }
pipelines:
  - name: payments
    source:
      type: kafka
      bootstrapServers: ["\${KAFKA_BROKERS}"]
      topics: [${topic}]
      consumerGroupId: quiet-${run}
    function: { type: module, handler: ./handlers/kafka-payments.handler, timeout: 30 }
    startingPosition: TRIM_HORIZON
    batchSize: 100
    maximumRetryAttempts: 0
    functionResponseTypes: [ReportBatchItemFailures]
    metricsConfig: { metrics: [EventCount] }
    destinationConfig:
      onFailure: { destination: "kafka://${failedTopic}" }
`,
    );
    const good = Array.from({ length: 40 }, (_, i) => ({ partition: i % 2, key: `k${i}`, value: JSON.stringify({ amount: i }) }));
    await produce(client, topic, [...good, { partition: 0, key: 'bad', value: JSON.stringify({ amount: 'lots' }) }]);

    const spy = join(dir, 'warning-spy.mjs');
    writeFileSync(
      spy,
      `const emit = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const type = typeof warning === 'string' ? (typeof rest[0] === 'string' ? rest[0] : rest[0]?.type ?? 'Warning') : warning.name;
  process.stderr.write('EMITTED ' + type + ': ' + String(warning?.message ?? warning) + '\\n');
  return emit.call(this, warning, ...rest);
};
`,
    );
    // LOG_LEVEL info: what an operator sees by default; pino writes to stdout, Node's warnings to stderr.
    const cli = startCli(['run', '-c', file], { KAFKA_BROKERS: kafkaBrokers().join(','), LOG_LEVEL: 'info', NODE_OPTIONS: `--import=${spy}` });
    try {
      await waitFor(async () => (await metric('tributary_committed_events_total').catch(() => -1)) >= 41, 60_000, 'all 41 records committed');
      expect(await readTopic(client, failedTopic, 1)).toHaveLength(1);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited).toBe(0);

    const output = cli.output();
    expect(output.split('\n').filter((line) => line.startsWith('EMITTED'))).toEqual([]);
    expect(output).not.toMatch(/Warning/);
    expect(output).not.toContain('(node:');
    const lines = output.split('\n').filter((line) => line.trim() !== '');
    const notJson = lines.filter((line) => !line.startsWith('{'));
    expect(notJson).toEqual([]);
    const loud = lines.map((line) => JSON.parse(line) as { level: string; msg: string; count?: number; failed?: number }).filter((line) => line.level === 'warn' || line.level === 'error' || line.level === 'fatal');
    // The one bad record is Tributary's own warning, twice (the failed batch, the record sent on): nothing else.
    const ours = loud.filter((line) => line.msg.startsWith('function reported 1 of') || line.msg === 'records sent to the on-failure destination');
    expect(ours.map((line) => line.failed ?? line.count)).toEqual([1, 1]);
    expect(loud.filter((line) => !ours.includes(line))).toEqual([]);
  });
});
