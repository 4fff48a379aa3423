/**
 * Hostile files and raw-text damage for the config fuzz: alias bombs, cyclic aliases, deep nesting, files
 * past the size limit, binary and other encodings, several documents, and random edits of the text
 * (inserted bytes and characters, deleted spans, tabs, truncation).
 */
import { gzipSync } from 'node:zlib';
import { randomText, type Rng } from './random.ts';

const MIB = 1_048_576;

/** A generated file: its content and whether it is expensive to validate (near the size budget). */
export interface Generated {
  readonly content: string | Uint8Array;
  readonly what: string;
  readonly heavy: boolean;
}

function laughs(r: Rng): string {
  const width = r.int(5, 12);
  const depth = r.int(4, 10);
  const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < depth; i += 1) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
  lines.push(r.chance(0.5) ? `pipelines: *l${depth - 1}` : 'pipelines: []');
  return `${lines.join('\n')}\n`;
}

function cycle(r: Rng, base: string): string {
  return r.pick([
    'pipelines: &l [*l]\n',
    'a: &a {b: *a}\npipelines: []\n',
    'pipelines:\n  - &p\n    name: x\n    source: *p\n    function: *p\n',
    `${base.replace('pipelines:', 'pipelines: &all')}\n  - *all\n`,
    'pipelines: &x [[[*x]]]\n',
  ]);
}

function deep(r: Rng): string {
  const depth = r.pick([30, 31, 32, 33, 100, 1_000, 50_000]);
  switch (r.int(0, 3)) {
    case 0:
      return `pipelines: ${'['.repeat(depth)}${']'.repeat(r.chance(0.5) ? depth : 0)}\n`;
    case 1:
      return `pipelines: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
    case 2:
      return `pipelines:\n${'- '.repeat(depth)}x\n`;
    default:
      return `pipelines:\n${Array.from({ length: Math.min(depth, 2_000) }, (_, i) => `${' '.repeat(i + 2)}k${i}:`).join('\n')} 1\n`;
  }
}

function huge(r: Rng, heavyAllowed: boolean): Generated {
  const over = r.int(1, 3) * MIB + r.int(0, 1000);
  const near = MIB - 4096;
  switch (heavyAllowed ? r.int(0, 5) : r.int(0, 1)) {
    case 0:
      return { content: `pipelines: []\nx: "${'y'.repeat(over)}"\n`, what: 'string past the size limit', heavy: false };
    case 1:
      return { content: `pipelines: [${'1,'.repeat(over / 2)}]\n`, what: 'list past the size limit', heavy: false };
    case 2:
      return { content: `pipelines: []\nx: "${'y'.repeat(near)}"\n`, what: 'string just under the size limit', heavy: true };
    case 3:
      return { content: `pipelines: [${'1,'.repeat(near / 2 - 16)}]\n`, what: 'values just under the size limit', heavy: true };
    case 4:
      return { content: `${Array.from({ length: near / 16 }, (_, i) => `k${i.toString(36).padStart(9, '0')}: 1`).join('\n')}\npipelines: []\n`, what: 'many keys', heavy: true };
    default: {
      const pipeline = '  - { name: p, source: { type: sqs, queueUrl: "http://127.0.0.1:1/0/q" }, function: { type: module, handler: ./h.handler } }\n';
      return { content: `pipelines:\n${pipeline.repeat(Math.floor(near / pipeline.length))}`, what: 'many pipelines', heavy: true };
    }
  }
}

function binary(r: Rng, base: string): Uint8Array {
  switch (r.int(0, 5)) {
    case 0:
      return Uint8Array.from({ length: r.int(1, 4096) }, () => r.int(0, 255));
    case 1:
      return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(base)]);
    case 2:
      return gzipSync(base);
    case 3:
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(base, 'utf16le')]);
    case 4:
      return Buffer.from(base, 'latin1').map((byte, i) => (i === Math.floor(base.length / 2) ? 0xe9 : byte));
    default:
      return Buffer.from(base.replace(/\n/g, r.chance(0.5) ? '\0\n' : '\r\n'));
  }
}

/** A hostile whole file. */
export function hostileFile(r: Rng, base: string, heavyAllowed: boolean): Generated {
  switch (r.int(0, 5)) {
    case 0:
      return { content: laughs(r), what: 'alias bomb', heavy: false };
    case 1:
      return { content: cycle(r, base), what: 'cyclic alias', heavy: false };
    case 2:
      return { content: deep(r), what: 'deep nesting', heavy: false };
    case 3:
      return huge(r, heavyAllowed);
    case 4:
      return { content: binary(r, base), what: 'binary or other encoding', heavy: false };
    default:
      return { content: `${base}\n${r.pick(['---\n', '---\npipelines: []\n', '...\n---\n', `---\n${base}`])}`, what: 'several documents', heavy: false };
  }
}

/** Damage the text: insert characters or control bytes, delete or duplicate a span, tabs, truncation. */
export function damageText(r: Rng, text: string, edits: number): string {
  let out = text;
  for (let i = 0; i < edits; i += 1) {
    const at = r.int(0, out.length);
    const end = Math.min(out.length, at + r.int(1, 40));
    switch (r.int(0, 6)) {
      case 0:
        out = out.slice(0, at) + randomText(r).slice(0, 100) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + String.fromCharCode(r.pick([0, 1, 7, 8, 11, 12, 27, 127, 0x85, 0x9f, 0xfffe])) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + out.slice(end);
        break;
      case 3:
        out = out.slice(0, end) + out.slice(at, end) + out.slice(end);
        break;
      case 4:
        out = out.replace(/\n {2}/, '\n\t');
        break;
      case 5:
        out = out.slice(0, at);
        break;
      default:
        out = out.slice(0, at) + r.pick([': ', '- ', '&a ', '*a', '!!binary ', '!tag ', '? ', '|\n', '>-\n', '"', "'", '{', ']', '#', '%YAML 1.1\n---\n']) + out.slice(at);
    }
  }
  return out;
}
