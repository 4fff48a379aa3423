/**
 * The function look-ups (API_ListFunctions, API_GetFunction, API_GetFunctionConfiguration) for the functions the
 * configuration declares, so tools that look a function up before creating a mapping or invoking it work.
 */
import { functionNotFound } from './api-errors.js';
import { jsonResponse, queryValue, type ApiRequest, type ApiResponse } from './api-request.js';
import { functionConfiguration, getFunctionDocument } from './function-document.js';
import { functionArn, parseFunctionName, requireLatest, type FunctionRef } from './function-name.js';
import type { OperationContext } from './operation-context.js';
import { FUNCTION_PAGING, pageOf, parseMaxItems } from './paging.js';
import type { FunctionDescription } from './ports.js';

export async function listFunctions(request: ApiRequest, _params: Readonly<Record<string, string>>, context: OperationContext): Promise<ApiResponse> {
  const maxItems = parseMaxItems(queryValue(request, 'MaxItems'), FUNCTION_PAGING);
  const functions = await context.ports.functions.list();
  const page = pageOf(functions, (fn) => fn.name, queryValue(request, 'Marker'), maxItems, FUNCTION_PAGING);
  return jsonResponse(200, {
    Functions: page.items.map((fn) => functionConfiguration(fn, context.identity, context.runtime)),
    ...(page.nextMarker === null ? {} : { NextMarker: page.nextMarker }),
  });
}

export async function getFunction(request: ApiRequest, params: Readonly<Record<string, string>>, context: OperationContext): Promise<ApiResponse> {
  const { fn } = await declaredFunction(request, params, context);
  return jsonResponse(200, getFunctionDocument(fn, context.identity, context.runtime));
}

export async function getFunctionConfiguration(request: ApiRequest, params: Readonly<Record<string, string>>, context: OperationContext): Promise<ApiResponse> {
  const { fn } = await declaredFunction(request, params, context);
  return jsonResponse(200, functionConfiguration(fn, context.identity, context.runtime));
}

/**
 * The function named by the `{FunctionName}` path parameter and the `Qualifier` query parameter.
 * @throws LambdaApiError ResourceNotFoundException "Function not found: <arn>" (qualified when a qualifier was given).
 */
export async function declaredFunction(
  request: ApiRequest,
  params: Readonly<Record<string, string>>,
  context: OperationContext,
): Promise<{ readonly fn: FunctionDescription; readonly ref: FunctionRef }> {
  const ref = parseFunctionName(params['FunctionName'] ?? '', queryValue(request, 'Qualifier'), context.identity);
  requireLatest(ref, context.identity);
  const fn = await context.ports.functions.get(ref.name);
  if (fn === null) throw functionNotFound(functionArn(context.identity, ref.name, ref.qualifier));
  return { fn, ref };
}
