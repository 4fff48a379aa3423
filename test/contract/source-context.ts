// The SourceContext the contract specs create their sources with: what a pipeline run would pass, with a silent
// logger (TRIBUTARY_TEST_LOG=debug shows what a source logs) and the real clock.

import { pino } from 'pino';
import type { SourceContext } from '../../src/connector/types.js';

export function contractSourceContext(pipeline: string, overrides: Partial<SourceContext> = {}): SourceContext {
  return {
    pipeline,
    logger: pino({ level: process.env['TRIBUTARY_TEST_LOG'] ?? 'silent' }),
    now: Date.now,
    functionTimeoutMs: 3_000,
    batchSize: 100,
    startingPosition: 'TRIM_HORIZON',
    startingPositionTimestampMs: null,
    maximumBatchingWindowMs: 0,
    ...overrides,
  };
}
