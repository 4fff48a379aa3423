/** An on-failure destination in memory for unit tests: records what it accepted; can be told to refuse. */
import type { DiscardTarget } from '../../src/pipeline/execute/discard.js';

export class MemoryDestination implements DiscardTarget {
  readonly delivered: Record<string, unknown>[] = [];
  /** Deliveries refused so far. */
  refusals = 0;
  /** While true, every delivery fails. */
  refusing = false;

  async deliver(records: readonly object[]): Promise<void> {
    if (this.refusing) {
      this.refusals += 1;
      throw new Error('destination refused');
    }
    this.delivered.push(...(records as Record<string, unknown>[]));
  }

  /** `requestContext.condition` of every delivered record. */
  conditions(): string[] {
    return this.delivered.map((r) => String((r['requestContext'] as Record<string, unknown> | undefined)?.['condition']));
  }
}
