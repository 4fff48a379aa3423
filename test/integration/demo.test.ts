/**
 * `tributary demo` as users run it (the built CLI): the in-process Kinesis emulator, producer and pipeline run for
 * `--duration` seconds, print the status page URL and what happens, write poison orders to the on-failure file and
 * checkpoints to the demo folder, and exit 0 on their own.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli } from './helpers/cli.ts';

describe('tributary demo', () => {
  it('runs for --duration, prints the status page URL, fills the on-failure file and checkpoints, and exits 0', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tributary-demo-'));
    const demo = startCli(['demo', '--duration', '12'], {}, cwd);
    const timeout = setTimeout(() => demo.child.kill('SIGKILL'), 60_000);
    const code = await demo.exited;
    clearTimeout(timeout);
    const output = demo.output();
    expect(code, output).toBe(0);
    expect(output).toMatch(/status page\s+http:\/\/127\.0\.0\.1:\d+\//);
    expect(output).toContain('written to the on-failure file');
    expect(output).toMatch(/stopped\. \d+ orders produced/);

    const folder = join(cwd, '.tributary-demo');
    const failed = readFileSync(join(folder, 'failed-orders.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    // AWS's on-failure record for Kinesis: the batch info points at the poison record's shard and sequence number.
    const record = JSON.parse(failed[0] ?? '{}') as { KinesisBatchInfo?: { shardId?: string; batchSize?: number; streamArn?: string } };
    expect(record.KinesisBatchInfo?.streamArn).toBe('arn:aws:kinesis:us-east-1:000000000000:stream/orders');
    expect(record.KinesisBatchInfo?.batchSize).toBe(1);

    const checkpoints = join(folder, 'checkpoints');
    expect(existsSync(checkpoints)).toBe(true);
    const files = readdirSync(checkpoints).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(['orders.json']);
    const doc = JSON.parse(readFileSync(join(checkpoints, 'orders.json'), 'utf8')) as { leases: { shardId: string; checkpoint: string | null }[] };
    expect(doc.leases.map((l) => l.shardId).sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect(doc.leases.every((l) => typeof l.checkpoint === 'string')).toBe(true);
  });
});
