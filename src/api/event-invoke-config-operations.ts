/**
 * The event-invoke-config operations (API version 2019-09-25): Put (replace), Get, Update (merge), Delete (204) and
 * List of a function's asynchronous-invocation settings, kept by the EventInvokeConfigStore.
 */
import { invalidParameter, resourceNotFound } from './api-errors.js';
import { requireConfinedDestination } from './destination-confinement.js';
import { emptyResponse, jsonResponse, queryValue, type ApiRequest, type ApiResponse } from './api-request.js';
import {
  eventInvokeConfigDocument,
  functionDestination,
  noEventInvokeConfigMessage,
  parseEventInvokeConfigChanges,
  putConfig,
  updatedConfig,
  type EventInvokeConfigChanges,
} from './event-invoke-config.js';
import { declaredFunction } from './function-operations.js';
import { parseJsonBody } from './json-object.js';
import type { OperationContext } from './operation-context.js';
import { INVOKE_CONFIG_PAGING, pageOf, parseMaxItems } from './paging.js';

type Params = Readonly<Record<string, string>>;

export async function putFunctionEventInvokeConfig(request: ApiRequest, params: Params, context: OperationContext): Promise<ApiResponse> {
  const { name, qualifier } = await target(request, params, context);
  const changes = await checkedChanges(request, context);
  const stored = await context.ports.eventInvokeConfigs.put(putConfig(name, qualifier, changes, context.now()));
  return jsonResponse(200, eventInvokeConfigDocument(stored, context.identity));
}

export async function getFunctionEventInvokeConfig(request: ApiRequest, params: Params, context: OperationContext): Promise<ApiResponse> {
  const { name, qualifier } = await target(request, params, context);
  const config = await context.ports.eventInvokeConfigs.get(name, qualifier);
  if (config === null) throw resourceNotFound(noEventInvokeConfigMessage(context.identity, name, qualifier));
  return jsonResponse(200, eventInvokeConfigDocument(config, context.identity));
}

export async function updateFunctionEventInvokeConfig(request: ApiRequest, params: Params, context: OperationContext): Promise<ApiResponse> {
  const { name, qualifier } = await target(request, params, context);
  const changes = await checkedChanges(request, context);
  const current = await context.ports.eventInvokeConfigs.get(name, qualifier);
  if (current === null) throw resourceNotFound(noEventInvokeConfigMessage(context.identity, name, qualifier));
  const stored = await context.ports.eventInvokeConfigs.put(updatedConfig(current, changes, context.now()));
  return jsonResponse(200, eventInvokeConfigDocument(stored, context.identity));
}

export async function deleteFunctionEventInvokeConfig(request: ApiRequest, params: Params, context: OperationContext): Promise<ApiResponse> {
  const { name, qualifier } = await target(request, params, context);
  if (!(await context.ports.eventInvokeConfigs.delete(name, qualifier))) throw resourceNotFound(noEventInvokeConfigMessage(context.identity, name, qualifier));
  return emptyResponse(204);
}

export async function listFunctionEventInvokeConfigs(request: ApiRequest, params: Params, context: OperationContext): Promise<ApiResponse> {
  const maxItems = parseMaxItems(queryValue(request, 'MaxItems'), INVOKE_CONFIG_PAGING);
  const { name } = await target(request, params, context);
  const configs = await context.ports.eventInvokeConfigs.list(name);
  const page = pageOf(configs, (config) => config.qualifier, queryValue(request, 'Marker'), maxItems, INVOKE_CONFIG_PAGING);
  return jsonResponse(200, {
    FunctionEventInvokeConfigs: page.items.map((config) => eventInvokeConfigDocument(config, context.identity)),
    ...(page.nextMarker === null ? {} : { NextMarker: page.nextMarker }),
  });
}

/** The declared function and the qualifier (`$LATEST` when none was named, as AWS stores configs). */
async function target(request: ApiRequest, params: Params, context: OperationContext): Promise<{ name: string; qualifier: string }> {
  const { fn, ref } = await declaredFunction(request, params, context);
  return { name: fn.name, qualifier: ref.qualifier ?? '$LATEST' };
}

/** The body's changes, with function destinations checked against the declared functions. */
async function checkedChanges(request: ApiRequest, context: OperationContext): Promise<EventInvokeConfigChanges> {
  const changes = parseEventInvokeConfigChanges(parseJsonBody(request.body), context.identity);
  requireConfinedDestination(changes.onSuccess, context.baseDir, 'DestinationConfig.OnSuccess.Destination');
  requireConfinedDestination(changes.onFailure, context.baseDir, 'DestinationConfig.OnFailure.Destination');
  for (const destination of [changes.onSuccess, changes.onFailure]) {
    const fn = typeof destination === 'string' ? functionDestination(destination, context.identity) : null;
    if (fn !== null && (await context.ports.functions.get(fn.functionName)) === null) {
      throw invalidParameter(`The destination function ${destination ?? ''} does not exist`);
    }
  }
  return changes;
}
