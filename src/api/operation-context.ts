/**
 * What every operation handler gets: the ports, the identity the API answers for, and the injected clock and
 * randomness (DESIGN §7.5). Handlers are async functions of (request, path parameters, context) → response; they do
 * no HTTP I/O themselves.
 */
import type { Logger } from '../observability/logger.js';
import type { ApiRequest, ApiResponse } from './api-request.js';
import type { SourceDefaults } from './esm-source.js';
import type { RuntimeFacts } from './function-document.js';
import type { ApiIdentity } from './function-name.js';
import type { ApiPorts } from './ports.js';

/** Shared by all operations. */
export interface OperationContext {
  readonly ports: ApiPorts;
  readonly identity: ApiIdentity;
  readonly runtime: RuntimeFacts;
  readonly sourceDefaults: SourceDefaults;
  /** Relative paths of API-created mappings (`file://` destinations) resolve against this folder. */
  readonly baseDir: string;
  readonly now: () => number;
  readonly randomUUID: () => string;
  readonly logger: Logger;
}

/** One operation of the API. */
export type Operation = (request: ApiRequest, params: Readonly<Record<string, string>>, context: OperationContext) => Promise<ApiResponse>;
