/** DynamoDB Streams rules (reference §1, §2.2): StartingPosition is required, no AT_TIMESTAMP [API-CESM], the stream must be named. */
import { dynamoDbTableNameOfArn } from '../../src/connector/config-kit.js';
import { streamIdentity, type PathIssue, type PipelineView } from '../../src/connector/rule-kit.js';

/** Issues of a DynamoDB Streams pipeline, paths relative to the pipeline. */
export function dynamoDbStreamsRules(view: PipelineView): PathIssue[] {
  const issues: PathIssue[] = [];
  if (!view.has('startingPosition')) {
    issues.push({ path: ['startingPosition'], message: 'is required for DynamoDB Streams sources (TRIM_HORIZON or LATEST), as on AWS' });
  } else if (view.get('startingPosition') === 'AT_TIMESTAMP') {
    issues.push({ path: ['startingPosition'], message: 'AT_TIMESTAMP is not supported for DynamoDB Streams (use TRIM_HORIZON or LATEST)' });
  }
  issues.push(...streamIdentity(view, 'tableName', dynamoDbTableNameOfArn));
  return issues;
}
