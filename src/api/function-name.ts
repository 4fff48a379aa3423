/**
 * Lambda's `FunctionName` parameter: a name (`my-function`), a partial ARN (`123456789012:function:my-function`) or
 * a full ARN (`arn:aws:lambda:us-east-1:123456789012:function:my-function`), each optionally qualified
 * (`…:my-function:prod`), plus the separate `Qualifier` parameter. Pure.
 *
 * Rules followed (API_Invoke, API_GetFunction; messages as LocalStack's AWS-validated provider records them):
 * - A value outside the model's pattern is a ValidationException quoting the pattern.
 * - A qualifier in the name and a different `Qualifier` parameter: InvalidParameterValueException "The derived
 *   qualifier from the function name does not match the specified qualifier."
 * - An ARN of another region: ResourceNotFoundException "Functions from '<region>' are not reachable in this region
 *   ('<ours>')". An ARN of another account cannot name one of our functions: "Function not found: <arn>".
 */
import { functionNotFound, invalidParameter, resourceNotFound, validationError } from './api-errors.js';

/** The account and region the API answers for (they appear in every ARN it returns). */
export interface ApiIdentity {
  readonly region: string;
  readonly accountId: string;
}

const REGION = String.raw`(?:eusc-)?[a-z]{2}(?:(?:-gov)|(?:-iso(?:[a-z]?)))?-[a-z]+-\d{1}`;
const FUNCTION_NAME = new RegExp(
  String.raw`^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:(${REGION}):(\d{12}):|(?:(${REGION}):)?(?:(\d{12}):)?)(?:function:)?([a-zA-Z0-9_.-]+)(?::(\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9_-]+))?$`,
);
/** The pattern as the model (and so AWS's ValidationException) writes it. */
const FUNCTION_NAME_PATTERN =
  String.raw`(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:|(((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?))(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?`;
const QUALIFIER = /^(?:\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9_$-]{1,128})$/;

/** A function reference taken apart. */
export interface FunctionRef {
  readonly name: string;
  /** From the name or the `Qualifier` parameter; null when neither gave one. */
  readonly qualifier: string | null;
}

/**
 * Parse `functionName` and the optional `Qualifier` parameter for `member` (the lowerCamelCase member name AWS
 * quotes in ValidationException, `functionName`).
 * @throws LambdaApiError as described in the module comment.
 */
export function parseFunctionName(functionName: string, qualifier: string | null, identity: ApiIdentity): FunctionRef {
  const match = functionName.length <= 256 ? FUNCTION_NAME.exec(functionName) : null;
  const violations: string[] = [];
  if (match === null) {
    violations.push(
      `Value '${functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`,
    );
  }
  if (qualifier !== null && !QUALIFIER.test(qualifier)) {
    violations.push(`Value '${qualifier}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)`);
  }
  if (match === null || violations.length > 0) throw validationError(violations);
  const [, arnRegion, arnAccount, partialRegion, partialAccount, name = '', inName] = match;
  const region = arnRegion ?? partialRegion ?? null;
  const account = arnAccount ?? partialAccount ?? null;
  if (region !== null && region !== identity.region) {
    throw resourceNotFound(`Functions from '${region}' are not reachable in this region ('${identity.region}')`);
  }
  const derived = inName ?? null;
  if (derived !== null && qualifier !== null && derived !== qualifier) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  const ref = { name, qualifier: derived ?? qualifier };
  if (account !== null && account !== identity.accountId) {
    throw functionNotFound(`arn:aws:lambda:${identity.region}:${account}:function:${name}${ref.qualifier === null ? '' : `:${ref.qualifier}`}`);
  }
  return ref;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`. */
export function functionArn(identity: ApiIdentity, name: string, qualifier: string | null = null): string {
  return `arn:aws:lambda:${identity.region}:${identity.accountId}:function:${name}${qualifier === null ? '' : `:${qualifier}`}`;
}

/** `arn:aws:lambda:<region>:<account>:event-source-mapping:<uuid>` (EventSourceMappingArn). */
export function mappingArn(identity: ApiIdentity, uuid: string): string {
  return `arn:aws:lambda:${identity.region}:${identity.accountId}:event-source-mapping:${uuid}`;
}

/**
 * Tributary's functions have one version, `$LATEST`: a reference without a qualifier or with `$LATEST` names it;
 * any other qualifier (a version number, an alias) does not exist.
 * @throws LambdaApiError ResourceNotFoundException "Function not found: <qualified arn>".
 */
export function requireLatest(ref: FunctionRef, identity: ApiIdentity): void {
  if (ref.qualifier !== null && ref.qualifier !== '$LATEST') throw functionNotFound(functionArn(identity, ref.name, ref.qualifier));
}

