/**
 * Invoke (API_Invoke): `POST /2015-03-31/functions/{FunctionName}/invocations`. The request is checked (limits,
 * JSON, headers), the function looked up, then: DryRun answers 204 here ("validate parameter values", nothing runs);
 * RequestResponse and Event go to the Invoker, whose outcome becomes Lambda's response. A throttle is the Invoker's
 * `tooManyRequests(…)` (429 with `Reason`).
 */
import type { ApiRequest, ApiResponse } from './api-request.js';
import { declaredFunction } from './function-operations.js';
import { parseInvokeParameters } from './invoke-request.js';
import { dryRunResponse, invokeResponse } from './invoke-response.js';
import type { OperationContext } from './operation-context.js';

export async function invoke(request: ApiRequest, params: Readonly<Record<string, string>>, context: OperationContext): Promise<ApiResponse> {
  const parameters = parseInvokeParameters(request.headers, request.body);
  const { fn, ref } = await declaredFunction(request, params, context);
  if (parameters.invocationType === 'DryRun') return dryRunResponse();
  const outcome = await context.ports.invoker.invoke({
    functionName: fn.name,
    qualifier: ref.qualifier,
    invocationType: parameters.invocationType,
    payload: parameters.payload,
    // Lambda returns a log tail only for synchronous invocations.
    logType: parameters.invocationType === 'RequestResponse' ? parameters.logType : 'None',
    clientContext: parameters.clientContext,
    requestId: request.requestId,
    signal: request.signal,
  });
  return invokeResponse(outcome, parameters.logType);
}
