/** An on-failure destination in memory for unit tests: records what it accepted; can be told to refuse or drop. */
import type { DeliveryReport } from '../../src/destination/types.js';
import type { DiscardTarget } from '../../src/pipeline/execute/discard.js';

export class MemoryDestination implements DiscardTarget {
  readonly delivered: Record<string, unknown>[] = [];
  /** Deliveries refused so far. */
  refusals = 0;
  /** While true, every delivery fails. */
  refusing = false;
  /** While true, `deliverAndReport` drops every record for good, as SNS drops a message over 256 KB. */
  dropping = false;

  async deliver(records: readonly object[]): Promise<void> {
    if (this.refusing) {
      this.refusals += 1;
      throw new Error('destination refused');
    }
    this.delivered.push(...(records as Record<string, unknown>[]));
  }

  async deliverAndReport(records: readonly object[]): Promise<DeliveryReport> {
    if (!this.dropping) return (await this.deliver(records), { dropped: [] });
    return { dropped: records.map((_, index) => ({ index, reason: 'too large' })) };
  }

  /** `requestContext.condition` of every delivered record. */
  conditions(): string[] {
    return this.delivered.map((r) => String((r['requestContext'] as Record<string, unknown> | undefined)?.['condition']));
  }
}
