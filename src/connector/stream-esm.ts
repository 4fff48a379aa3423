/** The ESM document members Kinesis and DynamoDB Streams share (API_EventSourceMappingConfiguration). Pure. */
import type { EsmDocumentParts } from './source-descriptor.js';

/** StartingPosition…, ParallelizationFactor, the error handling members, TumblingWindowInSeconds: a stream's members. */
export function streamDocumentMembers({ pipeline, startingPosition, errorHandling }: EsmDocumentParts): Record<string, unknown> {
  return {
    ...startingPosition(),
    ParallelizationFactor: pipeline.parallelizationFactor,
    ...errorHandling(),
    TumblingWindowInSeconds: pipeline.tumblingWindowMs / 1000,
  };
}
