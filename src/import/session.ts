/**
 * State shared by everything one `tributary import` run writes: its notes, the folder of the output file (handler
 * paths are relative to it), the environment variables the output needs without a default, the extra files to
 * write next to it (inline function code), and the names handed out so far (Kafka clusters, RIE ports).
 */
import { ImportNotes } from './notes.js';

/** The default port of the first function behind the Lambda Runtime Interface Emulator; the next ones count up. */
export const FIRST_RIE_PORT = 9000;

export class ImportSession {
  readonly notes = new ImportNotes();
  /** Absolute folder of the output file. */
  readonly outDir: string;
  /** `${NAME}` references without a default: the output validates only with them set. */
  readonly requiredEnv = new Set<string>();
  /** Files to write, path relative to `outDir` → content. */
  readonly extraFiles = new Map<string, string>();
  readonly #kafkaPrefixes = new Map<string, string>();
  #nextPort = FIRST_RIE_PORT;

  constructor(outDir: string) {
    this.outDir = outDir;
  }

  /** A fresh local port for the next function run behind the Runtime Interface Emulator. */
  nextRiePort(): number {
    const port = this.#nextPort;
    this.#nextPort += 1;
    return port;
  }

  /**
   * The environment prefix of a Kafka cluster identified by `key` (its bootstrap servers or ARN): `suggested` for
   * the first cluster that asks for it, `suggested_2`, `_3`… for other clusters, the same prefix for the same key.
   */
  kafkaPrefix(key: string, suggested: string): string {
    const known = this.#kafkaPrefixes.get(key);
    if (known !== undefined) return known;
    const taken = new Set(this.#kafkaPrefixes.values());
    let prefix = suggested;
    for (let n = 2; taken.has(prefix); n += 1) prefix = `${suggested}_${n}`;
    this.#kafkaPrefixes.set(key, prefix);
    return prefix;
  }
}
