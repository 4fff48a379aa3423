/**
 * The records a campaign produces, drawn from its seed: ids, partition keys (the ordering unit of every source),
 * a per-key sequence number, and which records are poison or transient. Pure.
 */

/** One produced record; its JSON body is `{ id, key, seq }`. */
export interface ChaosRecord {
  readonly id: string;
  readonly key: string;
  /** Position of the record among the records of its key, in production order (0, 1, 2…). */
  readonly seq: number;
}

export interface RecordPlan {
  readonly records: readonly ChaosRecord[];
  /** Records that always fail: they must end in the DLQ / on-failure destination (or be dropped), never handled. */
  readonly poison: readonly string[];
  /** Records that fail their first few invocations, then succeed: they must be handled. */
  readonly transient: readonly string[];
  /** Records right behind a poison record on its key: each needs one retry of its own, then succeeds. */
  readonly neighbours: readonly string[];
  /** Production order split into chunks: chunk i is produced at step i of the fault plan. */
  readonly chunks: readonly (readonly ChaosRecord[])[];
}

export interface RecordPlanOptions {
  readonly count: number;
  readonly keys: number;
  readonly chunks: number;
  /**
   * Chunks that start with a poison record followed, on the same key, by `neighbours` records that need one retry
   * each: after a crash during the poison's retries, they must not inherit the poison's retry count.
   */
  readonly poisonChunks: readonly number[];
  readonly neighbours: number;
  /** Extra transient records, as a fraction of all records, anywhere. */
  readonly transientFraction: number;
  readonly random: () => number;
}

const pad = (n: number): string => String(n).padStart(6, '0');

export function planRecords(options: RecordPlanOptions): RecordPlan {
  const { count, keys, random } = options;
  const chunkCount = Math.max(1, options.chunks);
  const perChunk = Math.ceil(count / chunkCount);
  const seqByKey = new Map<string, number>();
  const make = (index: number, key: string): ChaosRecord => {
    const seq = seqByKey.get(key) ?? 0;
    seqByKey.set(key, seq + 1);
    return { id: `r${pad(index)}`, key, seq };
  };
  const chunks: ChaosRecord[][] = [];
  const poison: string[] = [];
  const transient: string[] = [];
  const neighbours: string[] = [];
  let index = 0;
  for (let c = 0; c < chunkCount && index < count; c += 1) {
    const chunk: ChaosRecord[] = [];
    const end = Math.min(count, index + perChunk);
    if (options.poisonChunks.includes(c) && end - index > options.neighbours) {
      const key = `k${Math.floor(random() * keys)}`;
      const head = make(index++, key);
      chunk.push(head);
      poison.push(head.id);
      for (let n = 0; n < options.neighbours; n += 1) {
        const neighbour = make(index++, key);
        chunk.push(neighbour);
        neighbours.push(neighbour.id);
      }
    }
    while (index < end) {
      const record = make(index++, `k${Math.floor(random() * keys)}`);
      if (random() < options.transientFraction) transient.push(record.id);
      chunk.push(record);
    }
    chunks.push(chunk);
  }
  return { records: chunks.flat(), poison, transient, neighbours, chunks };
}
