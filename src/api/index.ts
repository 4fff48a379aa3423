/**
 * The Lambda API server (DESIGN §3.5): Lambda's REST API for event source mappings, function look-ups, Invoke and
 * event-invoke configs, over the ports the service implements (ports.ts).
 */
export { startApiServer, type ApiServer, type ApiServerOptions } from './http-server.js';
export type * from './ports.js';
export {
  LambdaApiError,
  MAPPING_NOT_FOUND,
  functionNotFound,
  invalidParameter,
  mappingAlreadyExistsMessage,
  notImplemented,
  resourceConflict,
  resourceInUse,
  resourceNotFound,
  serviceException,
  tooManyRequests,
  type LambdaErrorType,
  type ThrottleReason,
} from './api-errors.js';
export { apiCredentialsFromEnv } from './credentials.js';
export type { ApiCredential } from './sigv4-verify.js';
export type { AwsEndpointDefaults, SourceDefaults } from './esm-source.js';
export { isLoopbackHost } from './auth-policy.js';
export { MemoryMappingControl, type MemoryMappingControlOptions } from './memory/memory-mapping-control.js';
export { MemoryFunctionRegistry, MemoryInvoker, type AsyncInvocation, type MemoryHandler, type MemoryHandlerContext } from './memory/memory-functions.js';
export { MemoryEventInvokeConfigStore } from './memory/memory-event-invoke-configs.js';
