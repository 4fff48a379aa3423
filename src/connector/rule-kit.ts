/**
 * What a connector's cross-field config rules (connectors/<x>/rules.ts, `rules` of its descriptor) are written with:
 * the raw pipeline view, its value readers, and the rule every stream source shares. Connectors import src only
 * through src/connector (DESIGN §2). Pure.
 */
import type { PathIssue } from '../config/field-path.js';
import type { PipelineView } from '../config/rules/pipeline-view.js';
import { isGiven } from '../config/rules/raw-values.js';

export type { PathIssue } from '../config/field-path.js';
export type { PipelineView } from '../config/rules/pipeline-view.js';
export { asRecord, isGiven } from '../config/rules/raw-values.js';
export { parseDestination } from '../config/destination-string.js';
export { show } from '../config/echo.js';
export { FUNCTION_TIMEOUT_SECONDS, KAFKA_MAX_FUNCTION_TIMEOUT_SECONDS, SQS_BATCH_SIZE_WITHOUT_WINDOW, SQS_FIFO_MAX_BATCH_SIZE } from '../config/defaults.js';

/** A stream source's `<nameKey>` or `streamArn` is required; when both are given the ARN must name the same stream/table. */
export function streamIdentity(view: PipelineView, nameKey: string, nameOfArn: (arn: string) => string | null): PathIssue[] {
  const name = view.source[nameKey];
  const arn = view.source['streamArn'];
  if (!isGiven(name) && !isGiven(arn)) return [{ path: ['source', nameKey], message: 'is required (or give streamArn)' }];
  if (typeof name === 'string' && typeof arn === 'string' && isGiven(name) && isGiven(arn)) {
    const fromArn = nameOfArn(arn);
    if (fromArn !== null && fromArn !== name) {
      return [{ path: ['source', 'streamArn'], message: `names "${fromArn}" but ${nameKey} is "${name}"` }];
    }
  }
  return [];
}
