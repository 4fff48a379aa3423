/**
 * One fuzz case from (seed, index): a mutation of one of the example configurations (`config/*.yaml`),
 * with the secrets planted in it. Families, in turn: structural mutations (with secrets written as
 * numbers), raw-text damage, and hostile files (bombs, cycles, deep, huge, binary, several documents).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseSeed, rng } from './random.ts';
import { damageText, hostileFile } from './hostile.ts';
import { mutable, mutateStructure, plantSecrets, render } from './structural.ts';

/** The environment every case is validated with: the examples' variables, and two secret-named ones. */
export const FUZZ_ENV: Readonly<Record<string, string>> = {
  QUEUE_URL: 'http://127.0.0.1:19324/000000000000/orders',
  STREAM_NAME: 'orders',
  TABLE_NAME: 'orders',
  KAFKA_BROKERS: '127.0.0.1:19092',
  FUZZ_SECRET_TOKEN: 'S3cr3t-env-token-7f3a9q',
  FUZZ_PASSWORD: 'S3cr3t-env-password-c41dz',
};

/** Values that must never appear in any output. */
const ENV_SECRETS = [FUZZ_ENV['FUZZ_SECRET_TOKEN'] ?? '', FUZZ_ENV['FUZZ_PASSWORD'] ?? ''];

export type Family = 'structure' | 'text' | 'hostile';
const FAMILIES: readonly Family[] = ['structure', 'structure', 'text', 'structure', 'hostile', 'structure', 'text', 'hostile'];

export interface FuzzCase {
  readonly index: number;
  readonly family: Family;
  readonly base: string;
  /** What was done, to read a failure. */
  readonly description: string;
  readonly content: string | Uint8Array;
  readonly secrets: readonly string[];
  /** Near the size budget: seconds to validate. */
  readonly heavy: boolean;
}

/** The example configurations, by file name. */
export function loadBases(configDir: string): ReadonlyMap<string, string> {
  const names = readdirSync(configDir).filter((name) => name.endsWith('.yaml')).sort();
  return new Map(names.map((name) => [name, readFileSync(join(configDir, name), 'utf8')]));
}

/** Case `index` of the campaign seeded with `seed`. Heavy cases only when `heavyAllowed`. */
export function fuzzCase(seed: number, index: number, bases: ReadonlyMap<string, string>, heavyAllowed: boolean): FuzzCase {
  const r = rng(caseSeed(seed, index));
  const family = FAMILIES[index % FAMILIES.length] ?? 'structure';
  const [base, text] = r.pick([...bases.entries()]);
  const common = { index, family, base };
  if (family === 'hostile') {
    const file = hostileFile(r, text, heavyAllowed);
    return { ...common, description: file.what, content: file.content, secrets: ENV_SECRETS, heavy: file.heavy };
  }
  const m = mutable(text);
  // Text damage could move a literal secret into an ordinary field (a deleted span joins a key to the
  // secret's value), where showing it is right: literal secrets are planted only where the structure is kept.
  if (family === 'structure' && r.chance(0.7)) plantSecrets(m, r);
  mutateStructure(m, r, r.int(family === 'structure' ? 1 : 0, 5));
  let content = render(m);
  if (family === 'text') {
    const edits = r.int(1, 6);
    content = damageText(r, content, edits);
    m.ops.push(`${edits} text edits`);
  }
  return { ...common, description: m.ops.join('; ') || 'unchanged', content, secrets: [...ENV_SECRETS, ...m.secrets], heavy: false };
}
