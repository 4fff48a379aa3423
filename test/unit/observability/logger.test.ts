import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';

function capture(): { lines: string[]; stream: { write: (line: string) => void } } {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => lines.push(line) } };
}

describe('logger', () => {
  it('writes JSON lines with the context fields', () => {
    const { lines, stream } = capture();
    createLogger('info', stream).child({ pipeline: 'orders', shard: 'shardId-0' }).info({ batchId: 'b-1' }, 'batch settled');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'info', service: 'tributary', pipeline: 'orders', shard: 'shardId-0', batchId: 'b-1', msg: 'batch settled' });
  });

  it('writes time as ISO-8601 UTC and level as its name, as log collectors parse them', () => {
    const { lines, stream } = capture();
    const logger = createLogger('trace', stream);
    logger.warn('w');
    logger.error('e');
    logger.trace('t');
    const parsed = lines.map((line) => JSON.parse(line) as { time: unknown; level: unknown });
    expect(parsed.map((line) => line.level)).toEqual(['warn', 'error', 'trace']);
    for (const line of parsed) {
      expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(new Date(String(line.time)).toISOString()).toBe(line.time);
    }
  });

  it('redacts credentials and secrets wherever they appear', () => {
    const { lines, stream } = capture();
    const logger = createLogger('debug', stream);
    logger.info({ password: 'hunter2', source: { sasl: { username: 'u', password: 'p4ss' } }, credentials: { secretAccessKey: 'AKIA-secret' }, headers: { authorization: 'Bearer tok' } }, 'connect');
    const text = lines.join('');
    for (const secret of ['hunter2', 'p4ss', 'AKIA-secret', 'Bearer tok']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('respects the level', () => {
    const { lines, stream } = capture();
    const logger = createLogger('warn', stream);
    logger.info('hidden');
    logger.warn('shown');
    expect(lines).toHaveLength(1);
  });
});
