/**
 * What Lambda's provisioned mode (`provisionedPollerConfig`) means for Tributary's own pollers. Pure.
 *
 * AWS sizes provisioned mode in event pollers, each worth several concurrent invocations; a Tributary lane is one
 * batch in flight, so a poller becomes that many lanes:
 * - SQS: "up to 20,000 concurrency" from at most 2,000 pollers — 10 concurrent invokes per poller
 *   (https://aws.amazon.com/blogs/aws/aws-lambda-enhances-sqs-processing-with-new-provisioned-mode-3x-faster-scaling-16x-higher-capacity,
 *   https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html). The minimum pollers stay running while
 *   the queue is idle ("dedicated polling resources that remain ready"), the maximum bounds the scale-up, which runs
 *   at up to 1,000 concurrent invokes a minute instead of on-demand's 300.
 * - Kafka: a poller handles about 5 MB/s or 5 concurrent invokes
 *   (https://docs.aws.amazon.com/lambda/latest/dg/kafka-scaling-modes.html), so the partitions of one pipeline invoke
 *   at most `maximumPollers × 5` batches at once (each partition still one at a time, in order). Every assigned
 *   partition keeps its lane, so the minimum is always met.
 * Without provisioned mode SQS keeps its on-demand scaling (5 pollers, 2 when idle, up to maximumConcurrency or
 * Tributary's cap) and Kafka one lane per assigned partition, unbounded.
 */
import type { ProvisionedPollerConfig } from '../config/types.js';

/** Concurrent invocations one AWS SQS event poller serves in provisioned mode. */
export const SQS_INVOKES_PER_POLLER = 10;
/** Concurrent invocations one AWS Kafka event poller serves in provisioned mode. */
export const KAFKA_INVOKES_PER_POLLER = 5;
/** On-demand SQS: "Lambda starts processing five batches at a time" and "can optimize to as few as 2" (services-sqs-scaling). */
export const SQS_ON_DEMAND_INITIAL = 5;
export const SQS_ON_DEMAND_IDLE = 2;

/** The elastic lanes of an SQS pipeline: started, kept while idle, most. */
export interface SqsLaneBounds {
  readonly initial: number;
  readonly idleMin: number;
  readonly max: number;
  /** Provisioned mode scales faster: absent, the engine's on-demand pace (300 a minute). */
  readonly scaleUpIntervalMs?: number;
}

/** Provisioned pollers "can auto scale up to 1000 concurrent executions per minute" (AWS News blog above): one every 60 ms. */
export const SQS_PROVISIONED_SCALE_UP_INTERVAL_MS = 60;

/** SQS lanes for a provisioned mode (when given) or on-demand scaling up to `onDemandMax`. */
export function sqsLaneBounds(provisioned: ProvisionedPollerConfig | null | undefined, onDemandMax: number): SqsLaneBounds {
  if (provisioned === null || provisioned === undefined) {
    return { initial: Math.min(SQS_ON_DEMAND_INITIAL, onDemandMax), idleMin: Math.min(SQS_ON_DEMAND_IDLE, onDemandMax), max: onDemandMax };
  }
  const minimum = provisioned.minimumPollers * SQS_INVOKES_PER_POLLER;
  const maximum = Math.max(minimum, provisioned.maximumPollers * SQS_INVOKES_PER_POLLER);
  return { initial: minimum, idleMin: minimum, max: maximum, scaleUpIntervalMs: SQS_PROVISIONED_SCALE_UP_INTERVAL_MS };
}

/** The most batches a Kafka pipeline's partitions invoke at once, or null (on-demand: one per assigned partition). */
export function kafkaInvocationLimit(provisioned: ProvisionedPollerConfig | null | undefined): number | null {
  if (provisioned === null || provisioned === undefined) return null;
  return provisioned.maximumPollers * KAFKA_INVOKES_PER_POLLER;
}
