import { describe, expect, it } from 'vitest';
import { analyseProfile, ownerOf, renderProfile, shortFile, type CpuProfile } from '../../../bench/lib/profile.ts';

const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0 });

// A hand-built profile (the format `node --cpu-prof` writes): sample i lasts until sample i + 1.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '') },
    { id: 2, callFrame: frame('offer', 'file:///w/dist/connectors/kafka/lane.js', 41) },
    { id: 3, callFrame: frame('decode', 'file:///w/node_modules/kafkajs/src/protocol/decoder.js', 9) },
    { id: 4, callFrame: frame('(garbage collector)', '') },
    { id: 5, callFrame: frame('(idle)', '') },
    { id: 6, callFrame: frame('', 'node:internal/timers', 99) },
  ],
  startTime: 1_000,
  endTime: 1_000 + 10_000,
  samples: [2, 2, 3, 4, 5, 5, 2, 6, 2, 3],
  timeDeltas: [0, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000],
};

describe('bench CPU profile analysis', () => {
  it('ranks self time by function, file and owner, as shares of busy time (idle left out)', () => {
    const analysis = analyseProfile(profile, (url, line0) => (url.includes('/dist/') ? { file: 'connectors/kafka/lane.ts', line: line0 + 100 } : null));
    expect(analysis.totalMs).toBe(9);
    expect(analysis.idleMs).toBe(2);
    expect(analysis.busyMs).toBe(7);
    expect(analysis.functions[0]).toMatchObject({ name: 'offer', location: 'connectors/kafka/lane.ts:141', owner: 'tributary', selfMs: 4 });
    expect(analysis.functions[0]?.percent).toBeCloseTo(57.14, 2);
    expect(analysis.functions.map((f) => f.name)).toEqual(['offer', 'decode', '(garbage collector)', '(anonymous)']);
    expect(analysis.owners.map((o) => o.name)).toEqual(['tributary', 'kafkajs', '(garbage collector)', 'node internals']);
    expect(analysis.files[1]).toMatchObject({ name: 'kafkajs/src/protocol/decoder.js', selfMs: 1 });
  });

  it('keeps only the samples inside a measured window', () => {
    // Samples fall at 1000, 2000, … 10000 µs; the window 7500–11000 holds the last three (nodes 6, 2, 3), and the
    // very last sample has no successor, so no duration.
    const analysis = analyseProfile(profile, () => null, { startUs: 7_500, endUs: 11_000 });
    expect(analysis.functions.map((f) => [f.name, f.selfMs])).toEqual([
      ['offer', 1],
      ['(anonymous)', 1],
    ]);
  });

  it('names owners and short files', () => {
    expect(ownerOf('file:///w/node_modules/@smithy/core/dist/x.js', 'f')).toBe('@smithy/core');
    expect(ownerOf('file:///w/dist/src/pipeline/lane.js', 'f')).toBe('tributary');
    expect(ownerOf('file:///w/bench/contenders/x.ts', 'f')).toBe('bench harness');
    expect(ownerOf('node:events', 'emit')).toBe('node internals');
    expect(ownerOf('', '(program)')).toBe('(program)');
    expect(shortFile('file:///w/node_modules/kafkajs/src/a.js')).toBe('kafkajs/src/a.js');
    expect(shortFile('file:///w/dist/src/a.js')).toBe('dist/src/a.js');
  });

  it('renders the top functions as a markdown table', () => {
    const text = renderProfile(analyseProfile(profile), 2, 'test');
    expect(text).toContain('| 1 | offer | dist/connectors/kafka/lane.js:42 | tributary | 4.0 | 57.1 % |');
    expect(text).toContain('| 2 | decode |');
    expect(text).not.toContain('| 3 |');
  });
});
