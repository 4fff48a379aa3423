/**
 * How a delivery that dropped records counts, as AWS counts it: "If Lambda can't send a record to a destination you
 * have configured, it sends a DestinationDeliveryFailures metric" and the events "count in DroppedEventCount"
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html), never in
 * OnFailureDestinationDeliveredEventCount. Pure, for the executor that calls `deliverAndReport`.
 */
import type { DeliveryReport } from './types.js';

/** The metric increments of one delivery of the on-failure records of `events` discarded source records. */
export interface DeliveryCounts {
  /** tributary_on_failure_delivered_events_total (OnFailureDestinationDeliveredEventCount). */
  readonly deliveredEvents: number;
  /** tributary_dropped_events_total (DroppedEventCount). */
  readonly droppedEvents: number;
  /** tributary_destination_delivery_failures_total (DestinationDeliveryFailures): one per dropped record. */
  readonly deliveryFailures: number;
}

/**
 * `records` on-failure records stood for `events` source records. A stream or Kafka batch has one on-failure record
 * for all its events, so dropping it drops them all; with one record per event (a `kafka://` topic) each dropped
 * record is one event. In between, events are shared out evenly, rounding the dropped share up: nothing is counted
 * as delivered that may not have been.
 */
export function deliveryCounts(report: DeliveryReport, records: number, events: number): DeliveryCounts {
  const dropped = new Set(report.dropped.map((d) => d.index)).size;
  if (dropped === 0 || records <= 0) return { deliveredEvents: events, droppedEvents: 0, deliveryFailures: 0 };
  const droppedEvents = Math.min(events, Math.ceil((events * dropped) / records));
  return { deliveredEvents: events - droppedEvents, droppedEvents, deliveryFailures: dropped };
}
