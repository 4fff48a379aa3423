/**
 * An authenticated request → its operation → the response, with every refusal turned into Lambda's error document.
 * No node:http here: the server hands in an `ApiRequest` and writes back the `ApiResponse`.
 */
import { asLambdaApiError, errorDocument, LambdaApiError } from './api-errors.js';
import { jsonResponse, type ApiRequest, type ApiResponse } from './api-request.js';
import {
  createEventSourceMapping,
  deleteEventSourceMapping,
  getEventSourceMapping,
  listEventSourceMappings,
  updateEventSourceMapping,
} from './esm-operations.js';
import {
  deleteFunctionEventInvokeConfig,
  getFunctionEventInvokeConfig,
  listFunctionEventInvokeConfigs,
  putFunctionEventInvokeConfig,
  updateFunctionEventInvokeConfig,
} from './event-invoke-config-operations.js';
import { getFunction, getFunctionConfiguration, listFunctions } from './function-operations.js';
import { invoke } from './invoke-operation.js';
import type { Operation, OperationContext } from './operation-context.js';
import { matchRoute, type OperationName } from './routes.js';

const OPERATIONS: Readonly<Record<OperationName, Operation>> = {
  CreateEventSourceMapping: createEventSourceMapping,
  ListEventSourceMappings: listEventSourceMappings,
  GetEventSourceMapping: getEventSourceMapping,
  UpdateEventSourceMapping: updateEventSourceMapping,
  DeleteEventSourceMapping: deleteEventSourceMapping,
  ListFunctions: listFunctions,
  GetFunction: getFunction,
  GetFunctionConfiguration: getFunctionConfiguration,
  Invoke: invoke,
  PutFunctionEventInvokeConfig: putFunctionEventInvokeConfig,
  GetFunctionEventInvokeConfig: getFunctionEventInvokeConfig,
  UpdateFunctionEventInvokeConfig: updateFunctionEventInvokeConfig,
  DeleteFunctionEventInvokeConfig: deleteFunctionEventInvokeConfig,
  ListFunctionEventInvokeConfigs: listFunctionEventInvokeConfigs,
};

/** The outcome of one request, for the server's log line. */
export interface Dispatched {
  readonly response: ApiResponse;
  readonly operation: OperationName | null;
  /** The unexpected error behind a 500 (logged by the server, never sent). */
  readonly internalError: unknown;
}

/** Run the operation `request` names. */
export async function dispatch(request: ApiRequest, context: OperationContext): Promise<Dispatched> {
  const route = matchRoute(request.method, request.rawPath);
  if (!route.ok) {
    const error = new LambdaApiError('UnknownOperationException', `Tributary does not implement ${request.method} ${request.rawPath} (see the README's Lambda API section)`);
    return { response: errorResponse(error), operation: null, internalError: null };
  }
  try {
    return { response: await OPERATIONS[route.operation](request, route.params, context), operation: route.operation, internalError: null };
  } catch (error) {
    return { response: errorResponse(asLambdaApiError(error)), operation: route.operation, internalError: error instanceof LambdaApiError ? null : error };
  }
}

/** Lambda's error document as a response. */
export function errorResponse(error: LambdaApiError): ApiResponse {
  const document = errorDocument(error);
  return jsonResponse(document.status, document.body, document.headers);
}
