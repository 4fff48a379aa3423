/**
 * The function ARN on-failure records carry (`requestContext.functionArn`): the `lambda` runner's own ARN when it was
 * given one (with its qualifier), else `arn:<partition>:lambda:<region>:<account>:function:<name>` in the source's
 * partition and account — Tributary runs the function itself, so there is no other ARN to report. An operator who
 * wants another account id sets `accountId` on the service options.
 */
import type { FunctionConfig } from '../../config/types.js';

const LAMBDA_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::(.+))?$/;

/** Partition and account of an ARN (`arn:<partition>:<service>:<region>:<account>:…`), when it has them. */
export function arnParts(arn: string | null): { partition: string; account: string } | null {
  const parts = arn?.split(':');
  if (parts === undefined || parts.length < 6 || parts[0] !== 'arn') return null;
  const partition = parts[1] ?? '';
  const account = parts[4] ?? '';
  return partition !== '' && /^\d{12}$/.test(account) ? { partition, account } : null;
}

export function functionArnOf(fn: FunctionConfig, region: string, sourceArn: string | null, accountId: string | null = null): string {
  if (fn.type === 'lambda') {
    const match = LAMBDA_ARN.exec(fn.functionName);
    if (match !== null) return match[5] !== undefined || fn.qualifier === null ? fn.functionName : `${fn.functionName}:${fn.qualifier}`;
  }
  const parts = arnParts(sourceArn);
  const partition = parts?.partition ?? 'aws';
  const account = accountId ?? parts?.account ?? '000000000000';
  const qualifier = fn.type === 'lambda' && fn.qualifier !== null ? `:${fn.qualifier}` : '';
  return `arn:${partition}:lambda:${region}:${account}:function:${fn.functionName}${qualifier}`;
}
