/**
 * Reading the two files the handler appends to: the ledger (every record handled: the ground truth) and the fault
 * ledger (every fault it injected). Both are JSON lines; a line is only ever written whole (one write per
 * invocation, O_APPEND), so a torn last line can only mean a crash in the middle of a write and is reported.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

/** One record the handler handled: id, ordering unit (key / group / partition) and position in it. */
export interface LedgerEntry {
  readonly id: string;
  readonly u: string | null;
  readonly p: string;
  /** Instance label (A, B) and process id that handled it. */
  readonly i: string;
  readonly pid: number;
  readonly t: number;
  /** 1-based line number in the ledger file (the order of first deliveries). */
  readonly line: number;
}

/** `held`: an invocation waited on the hold file; `behind`: FIFO messages returned with a failed one before them. */
export type HandlerFaultKind = 'throw' | 'timeout' | 'exit' | 'oom' | 'poison' | 'transient' | 'held' | 'behind';

export interface FaultEntry {
  readonly k: HandlerFaultKind;
  readonly ids: readonly string[];
  /** Records in the invocation. */
  readonly n: number;
  readonly i: string;
  readonly pid: number;
  readonly t: number;
}

/** Reads a JSON-lines file as it grows, remembering where it stopped. */
export class JsonLinesTail<T> {
  readonly path: string;
  readonly #entries: T[] = [];
  readonly #parse: (value: unknown, line: number) => T;
  #offset = 0;
  #rest = '';
  #torn: string[] = [];

  constructor(path: string, parse: (value: unknown, line: number) => T) {
    this.path = path;
    this.#parse = parse;
  }

  /** Every entry so far (reads what was appended since the last call). */
  read(): readonly T[] {
    if (!existsSync(this.path)) return this.#entries;
    const size = statSync(this.path).size;
    if (size > this.#offset) {
      const buffer = Buffer.alloc(size - this.#offset);
      const fd = openSync(this.path, 'r');
      try {
        readSync(fd, buffer, 0, buffer.length, this.#offset);
      } finally {
        closeSync(fd);
      }
      this.#offset = size;
      const text = this.#rest + buffer.toString('utf8');
      const lines = text.split('\n');
      this.#rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') continue;
        try {
          this.#entries.push(this.#parse(JSON.parse(line), this.#entries.length + 1));
        } catch {
          this.#torn.push(line);
        }
      }
    }
    return this.#entries;
  }

  /** Lines that were not whole JSON (a crash mid-write), plus an unterminated last line. */
  torn(): readonly string[] {
    return this.#rest === '' ? this.#torn : [...this.#torn, this.#rest];
  }
}

export function ledgerTail(path: string): JsonLinesTail<LedgerEntry> {
  return new JsonLinesTail(path, (value, line) => ({ ...(value as Omit<LedgerEntry, 'line'>), line }));
}

export function faultTail(path: string): JsonLinesTail<FaultEntry> {
  return new JsonLinesTail(path, (value) => value as FaultEntry);
}
