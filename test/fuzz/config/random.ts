/** Seeded choices for the config fuzz: every case reproduces from (seed, index). */
import { seededRandom } from '../../support/seeded-random.ts';

/** A seeded random source with the helpers the mutators need. */
export interface Rng {
  /** [0, 1) */
  readonly next: () => number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function rng(seed: number): Rng {
  const next = seededRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
  };
}

/** The seed of case `index` of a campaign seeded with `seed`. */
export function caseSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

const UNICODE = [
  'é', 'ß', '日本', '🐟', '👩‍👩‍👧', '\u202e', '\u200b', '\u2028', '\ufeff', '\u00a0', 'Ω', '\u0301', '\ud83d', '\udc1f', 'ﷺ', '𝔘',
];
const KEYS = [
  'name', 'source', 'function', 'type', 'batchSize', 'pipelines', 'server', 'host', 'port', 'handler', 'timeout', 'topics',
  'queueUrl', 'streamName', 'startingPosition', 'filterCriteria', 'filters', 'pattern', 'destinationConfig', 'onFailure',
  'checkpoints', 'environment', 'headers', '__proto__', 'constructor', 'x-extra', '', ' ', '0',
];

/** A random text: ascii, unicode (emoji, bidi, zero-width, lone surrogates), references, or long. */
export function randomText(r: Rng): string {
  switch (r.int(0, 9)) {
    case 0:
      return '';
    case 1:
      return Array.from({ length: r.int(1, 6) }, () => r.pick(UNICODE)).join('');
    case 2:
      return r.pick(['${UNSET_VAR}', '${QUEUE_URL}', '${X:-}', '$${literal}', '${bad ref}', '${', '${STREAM_NAME:-orders}', '$$$', '${1X}']);
    case 3:
      return 'x'.repeat(r.int(81, 20_000));
    case 4:
      return r.pick(['127.0.0.1', '::1', 'localhost', 'http://127.0.0.1:9', 'file://./x.jsonl', 'kafka://t', 'arn:aws:sqs:us-east-1:123456789012:q', 'LATEST', 'sqs', 'kafka', 'module', 'http']);
    case 5:
      return r.pick(['true', 'no', 'null', '~', '0x1F', '1e309', '-0', '.inf', '0o17', '+12']);
    case 6:
      return String.fromCharCode(...Array.from({ length: r.int(1, 12) }, () => r.int(0, 0x2fff)));
    default:
      return Array.from({ length: r.int(1, 12) }, () => String.fromCharCode(r.int(0x20, 0x7e))).join('');
  }
}

/** A random key: a real field name, a near miss, or noise. */
export function randomKey(r: Rng): string {
  const key = r.pick(KEYS);
  switch (r.int(0, 3)) {
    case 0:
      return key;
    case 1:
      return key.toUpperCase();
    case 2:
      return key.length > 1 ? `${key.slice(1)}${key.charAt(0)}` : `${key}x`;
    default:
      return randomText(r).slice(0, 200);
  }
}

/** A random plain value of any type (the retype mutation). */
export function randomValue(r: Rng): unknown {
  switch (r.int(0, 9)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1, 1.5, 65_536, 2 ** 53 + 1, -1e308, 1e21, 10_000, 10_001]);
    case 3:
      return [];
    case 4:
      return {};
    case 5:
      return [randomText(r), r.int(0, 100)];
    case 6:
      return { [randomKey(r)]: randomText(r) };
    default:
      return randomText(r);
  }
}
