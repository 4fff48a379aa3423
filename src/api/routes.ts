/**
 * Lambda's REST routes that Tributary answers (HTTP bindings of botocore `lambda/2015-03-31/service-2.json`).
 * Pure: method + raw path → the operation and its decoded path parameters.
 */

/** The operations the API server implements. */
export type OperationName =
  | 'CreateEventSourceMapping'
  | 'ListEventSourceMappings'
  | 'GetEventSourceMapping'
  | 'UpdateEventSourceMapping'
  | 'DeleteEventSourceMapping'
  | 'ListFunctions'
  | 'GetFunction'
  | 'GetFunctionConfiguration'
  | 'Invoke'
  | 'PutFunctionEventInvokeConfig'
  | 'GetFunctionEventInvokeConfig'
  | 'UpdateFunctionEventInvokeConfig'
  | 'DeleteFunctionEventInvokeConfig'
  | 'ListFunctionEventInvokeConfigs';

interface Route {
  readonly method: string;
  /** Segments after the leading `/`; `{Name}` captures one segment. A trailing empty segment is optional. */
  readonly segments: readonly string[];
  readonly operation: OperationName;
}

const ESM = ['2015-03-31', 'event-source-mappings'];
const FUNCTIONS = ['2015-03-31', 'functions'];
const INVOKE_CONFIG = ['2019-09-25', 'functions', '{FunctionName}', 'event-invoke-config'];

const ROUTES: readonly Route[] = [
  { method: 'POST', segments: ESM, operation: 'CreateEventSourceMapping' },
  { method: 'GET', segments: ESM, operation: 'ListEventSourceMappings' },
  { method: 'GET', segments: [...ESM, '{UUID}'], operation: 'GetEventSourceMapping' },
  { method: 'PUT', segments: [...ESM, '{UUID}'], operation: 'UpdateEventSourceMapping' },
  { method: 'DELETE', segments: [...ESM, '{UUID}'], operation: 'DeleteEventSourceMapping' },
  { method: 'GET', segments: FUNCTIONS, operation: 'ListFunctions' },
  { method: 'GET', segments: [...FUNCTIONS, '{FunctionName}'], operation: 'GetFunction' },
  { method: 'GET', segments: [...FUNCTIONS, '{FunctionName}', 'configuration'], operation: 'GetFunctionConfiguration' },
  { method: 'POST', segments: [...FUNCTIONS, '{FunctionName}', 'invocations'], operation: 'Invoke' },
  { method: 'PUT', segments: INVOKE_CONFIG, operation: 'PutFunctionEventInvokeConfig' },
  { method: 'GET', segments: INVOKE_CONFIG, operation: 'GetFunctionEventInvokeConfig' },
  { method: 'POST', segments: INVOKE_CONFIG, operation: 'UpdateFunctionEventInvokeConfig' },
  { method: 'DELETE', segments: INVOKE_CONFIG, operation: 'DeleteFunctionEventInvokeConfig' },
  { method: 'GET', segments: [...INVOKE_CONFIG, 'list'], operation: 'ListFunctionEventInvokeConfigs' },
];

/** A matched route. */
export type RouteMatch =
  | { readonly ok: true; readonly operation: OperationName; readonly params: Readonly<Record<string, string>> }
  | { readonly ok: false };

/** The operation for `method` and `rawPath` (percent-encoded, no query), with path parameters decoded. */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  const segments = rawPath.replace(/^\/+/, '').split('/');
  if (segments.length > 1 && segments.at(-1) === '') segments.pop();
  for (const route of ROUTES) {
    if (route.method !== method || route.segments.length !== segments.length) continue;
    const params = captures(route.segments, segments);
    if (params !== null) return { ok: true, operation: route.operation, params };
  }
  return { ok: false };
}

function captures(pattern: readonly string[], segments: readonly string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (const [index, expected] of pattern.entries()) {
    const actual = segments[index] ?? '';
    if (expected.startsWith('{')) {
      const value = decodeSegment(actual);
      if (value === null || value === '') return null;
      params[expected.slice(1, -1)] = value;
    } else if (expected !== actual) {
      return null;
    }
  }
  return params;
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
