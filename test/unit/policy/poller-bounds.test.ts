import { describe, expect, it } from 'vitest';
import { kafkaInvocationLimit, sqsLaneBounds } from '../../../src/policy/poller-bounds.js';

const provisioned = (minimumPollers: number, maximumPollers: number) => ({ minimumPollers, maximumPollers, pollerGroupName: null });

describe('poller bounds (provisioned mode)', () => {
  it('SQS on demand: 5 pollers, 2 when idle, up to the cap (maximumConcurrency or our default)', () => {
    expect(sqsLaneBounds(null, 100)).toEqual({ initial: 5, idleMin: 2, max: 100 });
    expect(sqsLaneBounds(undefined, 2)).toEqual({ initial: 2, idleMin: 2, max: 2 });
  });

  it('SQS provisioned: 10 lanes per AWS poller, the minimum kept while idle, the maximum the ceiling', () => {
    expect(sqsLaneBounds(provisioned(2, 200), 100)).toEqual({ initial: 20, idleMin: 20, max: 2000, scaleUpIntervalMs: 60 });
    expect(sqsLaneBounds(provisioned(3, 3), 100)).toEqual({ initial: 30, idleMin: 30, max: 30, scaleUpIntervalMs: 60 });
  });

  it('Kafka: at most 5 invocations per maximum poller, unbounded on demand', () => {
    expect(kafkaInvocationLimit(null)).toBeNull();
    expect(kafkaInvocationLimit(provisioned(1, 1))).toBe(5);
    expect(kafkaInvocationLimit(provisioned(1, 200))).toBe(1000);
  });
});
