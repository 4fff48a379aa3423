/**
 * FunctionEventInvokeConfig (API_PutFunctionEventInvokeConfig, API_UpdateFunctionEventInvokeConfig): parsing the
 * request, merging an update, and the response document. Pure.
 *
 * Ranges are the model's (MaximumRetryAttempts 0–2, MaximumEventAgeInSeconds 60–21600), refused as Lambda does with a
 * ValidationException. Destinations are what Tributary can deliver to: the destination strings of the on-failure
 * destinations (src/config/destination-string.ts: SQS queue ARN or URL, `kafka://host:port/<topic>`,
 * `file://<path>`) or the ARN of another declared function. "Beyond AWS" retry settings live in the config file only.
 */
import { finishMessage } from '../config/echo.js';
import { parseAsyncDestination } from '../config/async-destination.js';
import { invalidParameter, validationError } from './api-errors.js';
import { functionArn, parseFunctionName, type ApiIdentity } from './function-name.js';
import { asRecord, type JsonObject } from './json-object.js';
import type { EventInvokeConfig } from './ports.js';

/** What a Put or Update sets; `undefined` = not given, `null` = cleared (an empty destination string). */
export interface EventInvokeConfigChanges {
  readonly maximumRetryAttempts: number | undefined;
  readonly maximumEventAgeInSeconds: number | undefined;
  readonly onSuccess: string | null | undefined;
  readonly onFailure: string | null | undefined;
}

/** A destination that is another function: its name (the operation checks it is declared). */
export interface FunctionDestination {
  readonly functionName: string;
}

/**
 * Parse a Put / Update body.
 * @throws LambdaApiError ValidationException (ranges) or InvalidParameterValueException (destinations, nothing set).
 */
export function parseEventInvokeConfigChanges(body: JsonObject, identity: ApiIdentity): EventInvokeConfigChanges {
  const violations: string[] = [];
  const retries = integerMember(body['MaximumRetryAttempts'], 'maximumRetryAttempts', 0, 2, violations);
  const age = integerMember(body['MaximumEventAgeInSeconds'], 'maximumEventAgeInSeconds', 60, 21_600, violations);
  if (violations.length > 0) throw validationError(violations);
  const destinations = asRecord(body['DestinationConfig']);
  const changes = {
    maximumRetryAttempts: retries,
    maximumEventAgeInSeconds: age,
    onSuccess: destinationMember(destinations['OnSuccess'], 'OnSuccess', identity),
    onFailure: destinationMember(destinations['OnFailure'], 'OnFailure', identity),
  };
  if (Object.values(changes).every((value) => value === undefined)) {
    // AWS's message (LocalStack's AWS-validated provider).
    throw invalidParameter('You must specify at least one of error handling or destination setting.');
  }
  return changes;
}

function integerMember(value: unknown, member: string, min: number, max: number, violations: string[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidParameter(`${member} must be an integer`);
  if (value < min) violations.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (value > max) violations.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return value;
}

function destinationMember(value: unknown, member: 'OnSuccess' | 'OnFailure', identity: ApiIdentity): string | null | undefined {
  if (value === undefined || value === null) return undefined;
  const destination = asRecord(value)['Destination'];
  if (destination === undefined || destination === null || destination === '') return null;
  if (typeof destination !== 'string') throw invalidParameter(`DestinationConfig.${member}.Destination must be a string`);
  // A function ARN of another region or account is refused as AWS refuses it.
  if (functionDestination(destination, identity) !== null) return destination;
  const parsed = parseAsyncDestination(destination);
  // The caller's own value, echoed back to the caller (finishMessage renders the config messages' echo markers).
  if (!parsed.ok) throw invalidParameter(`DestinationConfig.${member}.Destination ${finishMessage(parsed.message, false)}`);
  return destination;
}

/** The function a destination names when it is a Lambda function ARN, else null. */
export function functionDestination(destination: string, identity: ApiIdentity): FunctionDestination | null {
  if (!/^arn:[^:]*:lambda:/.test(destination)) return null;
  const ref = parseFunctionName(destination, null, identity);
  return { functionName: ref.name };
}

/** Put: the new config (unset members stay unset). */
export function putConfig(functionName: string, qualifier: string, changes: EventInvokeConfigChanges, nowMs: number): EventInvokeConfig {
  return {
    functionName,
    qualifier,
    maximumRetryAttempts: changes.maximumRetryAttempts ?? null,
    maximumEventAgeInSeconds: changes.maximumEventAgeInSeconds ?? null,
    onSuccess: changes.onSuccess ?? null,
    onFailure: changes.onFailure ?? null,
    lastModifiedMs: nowMs,
  };
}

/** Update: `current` with the given members changed. */
export function updatedConfig(current: EventInvokeConfig, changes: EventInvokeConfigChanges, nowMs: number): EventInvokeConfig {
  return {
    ...current,
    maximumRetryAttempts: changes.maximumRetryAttempts ?? current.maximumRetryAttempts,
    maximumEventAgeInSeconds: changes.maximumEventAgeInSeconds ?? current.maximumEventAgeInSeconds,
    onSuccess: changes.onSuccess === undefined ? current.onSuccess : changes.onSuccess,
    onFailure: changes.onFailure === undefined ? current.onFailure : changes.onFailure,
    lastModifiedMs: nowMs,
  };
}

/** The FunctionEventInvokeConfig document. */
export function eventInvokeConfigDocument(config: EventInvokeConfig, identity: ApiIdentity): Record<string, unknown> {
  return {
    LastModified: config.lastModifiedMs / 1000,
    FunctionArn: functionArn(identity, config.functionName, config.qualifier),
    ...(config.maximumRetryAttempts === null ? {} : { MaximumRetryAttempts: config.maximumRetryAttempts }),
    ...(config.maximumEventAgeInSeconds === null ? {} : { MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds }),
    DestinationConfig: {
      OnSuccess: config.onSuccess === null ? {} : { Destination: config.onSuccess },
      OnFailure: config.onFailure === null ? {} : { Destination: config.onFailure },
    },
  };
}

/** AWS's 404 text when a function has no such config. */
export function noEventInvokeConfigMessage(identity: ApiIdentity, functionName: string, qualifier: string): string {
  return `The function ${functionArn(identity, functionName, qualifier)} doesn't have an EventInvokeConfig`;
}
