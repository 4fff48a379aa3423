/**
 * The bench harness works end to end: `bench/main.ts --quick` on two tiny workloads (the `module` runner, no
 * broker; the SQS drain on the real ElasticMQ) prints one well-formed table with a number in every contender's
 * cell and a ratio per row, and writes the raw rounds as JSON. It asserts the shape, never a speed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TABLE_HEADER, tableCells } from '../../bench/lib/table.ts';
import { assertBuilt } from './helpers/cli.ts';

const MAIN = fileURLToPath(new URL('../../bench/main.ts', import.meta.url));

function runBench(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', MAIN, ...args], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run bench -- --quick', () => {
  it('prints one well-formed table of medians and ratios, and the raw rounds as JSON', async () => {
    assertBuilt();
    const json = join(mkdtempSync(join(tmpdir(), 'bench-smoke-')), 'rounds.json');
    const { code, stdout, stderr } = await runBench(['--quick', '--only', 'module-invoke,sqs-drain,async-invoke', '--json', json]);
    expect(code, stderr).toBe(0);

    const rows = stdout.split('\n').filter((line) => line.startsWith('|'));
    expect(tableCells(rows[0] ?? '')).toEqual([...TABLE_HEADER]);
    expect(rows[1]).toBe('|---|---|---|---|---|');
    const body = rows.slice(2).map(tableCells);
    expect(body.map((cells) => cells.length)).toEqual(body.map(() => 5));
    const byTitle = (start: string): string[] => body.find((cells) => cells[0]?.startsWith(start) === true) ?? [];

    const module10 = byTitle('`module` runner per invoke: SQS event of 10 records');
    const module1000 = byTitle('`module` runner per invoke: SQS event of 1,000 records');
    const sqs = byTitle('SQS drain (ElasticMQ)');
    for (const row of [module10, module1000]) {
      expect(row[1]).toMatch(/^[\d.]+k? µs\/invoke · [\d.]+k? µs CPU\/invoke · \d+ MB peak RSS$/);
      expect(row[2]).toMatch(/^worker postMessage round trip: [\d.]+k? µs\/invoke/);
      expect(row[4]).toMatch(/^\d+\.\d\d× worker \(perInvoke, lower is better\)$/);
    }
    expect(sqs[1]).toMatch(/^[\d.]+k? rec\/s · [\d.]+k? µs CPU\/rec · \d+ MB peak RSS$/);
    expect(sqs[2]).toMatch(/^receive \+ deleteBatch loop: [\d.]+k? rec\/s/);
    expect(sqs[3]).toMatch(/^sqs-consumer: [\d.]+k? rec\/s/);
    expect(sqs[4]).toMatch(/^\d+\.\d\d× raw-loop, \d+\.\d\d× sqs-consumer \(throughput, higher is better\)$/);
    const asyncQueue = byTitle("Async Invoke's embedded queue");
    expect(asyncQueue[1]).toMatch(/^[\d.]+k? rec\/s · [\d.]+k? µs CPU\/rec · \d+ MB peak RSS$/);
    expect(asyncQueue[2]).toMatch(/^node:sqlite, one fsync per operation: [\d.]+k? rec\/s/);
    expect(asyncQueue[4]).toMatch(/^\d+\.\d\d× raw \(throughput, higher is better\)$/);
    expect(stdout).toMatch(/^Machine: \d+ cores, .+; Node v\d+/m);
    expect(stdout).toMatch(/^Services: Apache Kafka .+, ElasticMQ .+, kinesis-local .+/m);

    const raw = JSON.parse(readFileSync(json, 'utf8')) as { quick: boolean; rows: { id: string; contenders: { rounds: unknown[]; errors: string[] }[] }[] };
    expect(raw.quick).toBe(true);
    const measured = raw.rows;
    expect(measured.map((r) => r.id)).toEqual(['sqs-drain', 'module-invoke/10', 'module-invoke/1000', 'async-invoke/embedded-queue']);
    for (const row of measured) for (const c of row.contenders) expect({ rounds: c.rounds.length, errors: c.errors }).toEqual({ rounds: 1, errors: [] });
  }, 300_000);
});
