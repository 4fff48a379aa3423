/**
 * Lambda's error documents, as Lambda sends them: status code, `x-amzn-ErrorType` header and a JSON body whose members
 * are the exception's members in the Lambda model (botocore `lambda/2015-03-31/service-2.json`,
 * @aws-sdk/client-lambda): `Type` (`User` for the caller's faults, `Service` for ours) and `message` — or `Message`
 * for the exceptions whose model spells it so (ResourceNotFoundException, ResourceInUseException, ServiceException).
 * SDKs read the error name from the header and the message from either spelling.
 *
 * Messages are AWS's where AWS has one; where they were observed on the wire the source is cited at the factory.
 */
import { TributaryError } from '../errors.js';

/** Lambda's error names (the `x-amzn-ErrorType` value). */
export type LambdaErrorType =
  | 'ResourceNotFoundException'
  | 'InvalidParameterValueException'
  | 'ResourceConflictException'
  | 'ResourceInUseException'
  | 'TooManyRequestsException'
  | 'RequestEntityTooLargeException'
  | 'InvalidRequestContentException'
  | 'ValidationException'
  | 'ServiceException'
  | 'UnknownOperationException'
  | 'MissingAuthenticationTokenException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'
  | 'IncompleteSignatureException'
  | 'NotImplementedException';

/** ThrottleReason of TooManyRequestsException (API_Invoke). */
export type ThrottleReason =
  | 'ConcurrentInvocationLimitExceeded'
  | 'FunctionInvocationRateLimitExceeded'
  | 'ReservedFunctionConcurrentInvocationLimitExceeded'
  | 'ReservedFunctionInvocationRateLimitExceeded'
  | 'CallerRateLimitExceeded';

interface ErrorShape {
  readonly status: number;
  /** The member name of the message in the model. */
  readonly messageKey: 'message' | 'Message';
  /** `Type` member: absent on the protocol-level errors (validation and authentication). */
  readonly type: 'User' | 'Service' | null;
}

const SHAPES: Readonly<Record<LambdaErrorType, ErrorShape>> = {
  ResourceNotFoundException: { status: 404, messageKey: 'Message', type: 'User' },
  InvalidParameterValueException: { status: 400, messageKey: 'message', type: 'User' },
  ResourceConflictException: { status: 409, messageKey: 'message', type: 'User' },
  ResourceInUseException: { status: 400, messageKey: 'Message', type: 'User' },
  TooManyRequestsException: { status: 429, messageKey: 'message', type: 'User' },
  // The model calls it RequestTooLargeException, but Lambda sends `RequestEntityTooLargeException` (status 413), as
  // every observed error shows: "264496 byte payload is too large for the Event invocation type (limit 262144 bytes)"
  // (github.com/ASFHyP3/hyp3/issues/2241) and "Request must be smaller than 6291456 bytes for the InvokeFunction
  // operation" (github.com/pelmers/streetwarp-web/issues/14).
  RequestEntityTooLargeException: { status: 413, messageKey: 'message', type: 'User' },
  InvalidRequestContentException: { status: 400, messageKey: 'message', type: 'User' },
  ValidationException: { status: 400, messageKey: 'message', type: null },
  ServiceException: { status: 500, messageKey: 'Message', type: 'Service' },
  UnknownOperationException: { status: 404, messageKey: 'message', type: null },
  // Authentication errors of AWS's front door: 403 with `{"message": …}` (aws-sdk-go#859 shows Lambda's
  // InvalidSignatureException: 403, X-Amzn-Errortype, {"message":"Signature expired: …"}).
  MissingAuthenticationTokenException: { status: 403, messageKey: 'message', type: null },
  UnrecognizedClientException: { status: 403, messageKey: 'message', type: null },
  InvalidSignatureException: { status: 403, messageKey: 'message', type: null },
  IncompleteSignatureException: { status: 400, messageKey: 'message', type: null },
  // Not one of Lambda's: what Tributary answers for a part of the API it does not implement yet (HTTP 501).
  NotImplementedException: { status: 501, messageKey: 'message', type: 'Service' },
};

/** Extra members of an error document. */
export interface LambdaApiErrorDetails {
  /** TooManyRequestsException `Reason`. */
  readonly reason?: ThrottleReason;
  /** TooManyRequestsException `retryAfterSeconds`, sent as the `Retry-After` header. */
  readonly retryAfterSeconds?: number;
}

/** A request refused with one of Lambda's errors. Ports throw these; the server turns them into error documents. */
export class LambdaApiError extends TributaryError {
  readonly awsType: LambdaErrorType;
  readonly status: number;
  readonly details: LambdaApiErrorDetails;

  constructor(awsType: LambdaErrorType, message: string, details: LambdaApiErrorDetails = {}) {
    super('API_REQUEST_REFUSED', message);
    this.name = 'LambdaApiError';
    this.awsType = awsType;
    this.status = SHAPES[awsType].status;
    this.details = details;
  }
}

/** An error document ready to send. */
export interface ErrorDocument {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Readonly<Record<string, unknown>>;
}

/** The status, headers and body Lambda sends for `error`. */
export function errorDocument(error: LambdaApiError): ErrorDocument {
  const shape = SHAPES[error.awsType];
  const headers: Record<string, string> = { 'x-amzn-ErrorType': error.awsType };
  const body: Record<string, unknown> = {};
  if (shape.type !== null) body['Type'] = shape.type;
  body[shape.messageKey] = error.message;
  if (error.details.reason !== undefined) body['Reason'] = error.details.reason;
  if (error.details.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.details.retryAfterSeconds);
  return { status: shape.status, headers, body };
}

/** Lambda's message for an unknown event source mapping UUID (LocalStack's AWS-validated provider). */
export const MAPPING_NOT_FOUND = 'The resource you requested does not exist.';

/** 404 ResourceNotFoundException. */
export function resourceNotFound(message: string): LambdaApiError {
  return new LambdaApiError('ResourceNotFoundException', message);
}

/** 404 for a function (or a qualified function) that does not exist: `Function not found: <arn>`. */
export function functionNotFound(functionArn: string): LambdaApiError {
  return resourceNotFound(`Function not found: ${functionArn}`);
}

/** 400 InvalidParameterValueException. */
export function invalidParameter(message: string): LambdaApiError {
  return new LambdaApiError('InvalidParameterValueException', message);
}

/** 409 ResourceConflictException. */
export function resourceConflict(message: string): LambdaApiError {
  return new LambdaApiError('ResourceConflictException', message);
}

/**
 * The conflict message for a second mapping of the same source to the same function, as AWS words it (SQS differs
 * from the streams; LocalStack's snapshot-tested provider).
 */
export function mappingAlreadyExistsMessage(sourceKind: 'sqs' | 'stream', eventSourceArn: string, functionName: string, uuid: string): string {
  const subject = sourceKind === 'sqs' ? `An event source mapping with SQS arn (" ${eventSourceArn} ") and function (" ${functionName} ") already exists.` : `The event source arn (" ${eventSourceArn} ") and function (" ${functionName} ") provided mapping already exists.`;
  return `${subject} Please update or delete the existing mapping with UUID ${uuid}`;
}

/** 400 ResourceInUseException (e.g. an update while the mapping is being deleted). */
export function resourceInUse(message: string): LambdaApiError {
  return new LambdaApiError('ResourceInUseException', message);
}

/** 429 TooManyRequestsException: "Rate Exceeded." with the throttle reason, as Lambda answers a throttled Invoke. */
export function tooManyRequests(reason: ThrottleReason, retryAfterSeconds?: number): LambdaApiError {
  return new LambdaApiError('TooManyRequestsException', 'Rate Exceeded.', {
    reason,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

/** 413 RequestEntityTooLargeException. */
export function requestTooLarge(message: string): LambdaApiError {
  return new LambdaApiError('RequestEntityTooLargeException', message);
}

/** 400 InvalidRequestContentException (an Invoke payload that is not JSON). */
export function invalidRequestContent(message: string): LambdaApiError {
  return new LambdaApiError('InvalidRequestContentException', message);
}

/**
 * 400 ValidationException in AWS's wording for a member that breaks its model constraint, e.g.
 * `1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater
 * than or equal to 1`.
 */
export function validationError(violations: readonly string[]): LambdaApiError {
  const count = violations.length === 1 ? '1 validation error detected' : `${violations.length} validation errors detected`;
  return new LambdaApiError('ValidationException', `${count}: ${violations.join('; ')}`);
}

/** 500 ServiceException, with Lambda's generic message (never the internal cause). */
export function serviceException(): LambdaApiError {
  return new LambdaApiError('ServiceException', 'The Lambda service encountered an internal error.');
}

/** 501 NotImplementedException: a request Lambda accepts that Tributary cannot serve yet (the message says what). */
export function notImplemented(message: string): LambdaApiError {
  return new LambdaApiError('NotImplementedException', message);
}

/** Any thrown value as a LambdaApiError: itself, or a ServiceException that hides it. */
export function asLambdaApiError(error: unknown): LambdaApiError {
  return error instanceof LambdaApiError ? error : serviceException();
}
