/**
 * The Lambda API server (DESIGN §3.5): node:http on 127.0.0.1 by default, speaking Lambda's REST API (2015-03-31)
 * for the ports it is given. This file is only I/O: read the body within the limit, authenticate (auth-policy.ts,
 * sigv4-verify.ts), dispatch, write the response with `x-amzn-RequestId`, log one line per request. Credentials,
 * signatures and bodies are never logged.
 */
import { randomUUID as cryptoRandomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { TributaryError } from '../errors.js';
import { silentLogger, type Logger } from '../observability/logger.js';
import type { LambdaApiError} from './api-errors.js';
import { asLambdaApiError, requestTooLarge } from './api-errors.js';
import { parseQueryString, type ApiRequest, type ApiResponse } from './api-request.js';
import { authDecision, authPolicy, type AuthPolicy } from './auth-policy.js';
import { readBody } from './body-reader.js';
import { dispatch, errorResponse } from './dispatch.js';
import type { SourceDefaults } from './esm-source.js';
import { runtimeFacts } from './function-document.js';
import { checkSize, SYNC_REQUEST_LIMIT_BYTES, type ApiInvocationType } from './invoke-request.js';
import type { OperationContext } from './operation-context.js';
import type { ApiPorts } from './ports.js';
import { matchRoute } from './routes.js';
import { hasSignature } from './sigv4-header.js';
import { verifySignature, type ApiCredential } from './sigv4-verify.js';

/** Options of {@link startApiServer}. */
export interface ApiServerOptions {
  /** Listen address; default `127.0.0.1`. Anything but loopback requires `credentials` (see auth-policy.ts). */
  readonly host?: string;
  /** Listen port; 0 picks a free one. */
  readonly port: number;
  readonly ports: ApiPorts;
  /** Access key id → secret the API accepts SigV4 signatures from. */
  readonly credentials?: readonly ApiCredential[];
  /** Region and account of every ARN the API returns, and the region requests must be signed for; default us-east-1. */
  readonly region?: string;
  /** Default `000000000000`. */
  readonly accountId?: string;
  /** Endpoints of API-created sources (emulators, VPC endpoints) and MSK brokers. */
  readonly sourceDefaults?: SourceDefaults;
  /** Folder relative `file://` destinations of API-created mappings resolve against; default the working directory. */
  readonly baseDir?: string;
  readonly logger?: Logger;
  /** Clock (epoch ms): signature skew, LastModified; default `Date.now`. */
  readonly now?: () => number;
  /** UUIDs of new mappings and request ids; default `crypto.randomUUID`. */
  readonly randomUUID?: () => string;
}

/** A running API server. */
export interface ApiServer {
  /** `http://host:port`, for `--endpoint-url` / the SDK's `endpoint`. */
  readonly url: string;
  /** Every request must be signed (non-loopback bind). */
  readonly requireSignature: boolean;
  /** Stops accepting, aborts in-flight invocations' signals, closes connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Start the Lambda API server.
 * @throws TributaryError CONFIG_INVALID when bound beyond loopback without credentials; SERVER_FAILED when it cannot listen.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const credentials = new Map((options.credentials ?? []).map((credential) => [credential.accessKeyId, credential]));
  const policy = authPolicy(host, credentials.size);
  if (policy === null) {
    throw new TributaryError('CONFIG_INVALID', `the Lambda API listens on ${host}, which is reachable from other hosts: configure API credentials (SigV4) or bind 127.0.0.1`);
  }
  const now = options.now ?? Date.now;
  const context: OperationContext = {
    ports: options.ports,
    identity: { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '000000000000' },
    runtime: runtimeFacts(),
    sourceDefaults: options.sourceDefaults ?? {},
    baseDir: resolvePath(options.baseDir ?? process.cwd()),
    now,
    randomUUID: options.randomUUID ?? cryptoRandomUUID,
    logger: options.logger ?? silentLogger(),
  };
  const inFlight = new Set<AbortController>();
  const server: Server = createServer((request, response) => {
    const controller = new AbortController();
    inFlight.add(controller);
    response.once('close', () => {
      if (!response.writableFinished) controller.abort();
      inFlight.delete(controller);
    });
    handle(request, response, controller.signal, { context, policy, credentials }).catch((error: unknown) => {
      context.logger.error({ err: error instanceof Error ? error.message : 'unknown error' }, 'Lambda API request failed');
      if (!response.headersSent) send(response, errorResponse(asLambdaApiError(error)), context.randomUUID());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new TributaryError('SERVER_FAILED', `the Lambda API cannot listen on ${host}:${options.port}`, { cause: error })));
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${address.port}`,
    requireSignature: policy.requireSignature,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const controller of inFlight) controller.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

interface ServerState {
  readonly context: OperationContext;
  readonly policy: AuthPolicy;
  readonly credentials: ReadonlyMap<string, ApiCredential>;
}

async function handle(incoming: IncomingMessage, response: ServerResponse, signal: AbortSignal, state: ServerState): Promise<void> {
  const { context } = state;
  const started = performance.now();
  const requestId = context.randomUUID();
  const [rawPath = '/', rawQuery = ''] = (incoming.url ?? '/').split(/\?(.*)/s);
  const method = incoming.method ?? 'GET';
  const headers = headersOf(incoming);
  const read = await readBody(incoming, SYNC_REQUEST_LIMIT_BYTES);
  const route = matchRoute(method, rawPath);
  const operation = route.ok ? route.operation : null;
  let answer: ApiResponse;
  let internalError: unknown = null;
  if (!read.ok) {
    answer = errorResponse(tooLarge(operation, headers, read.size));
  } else {
    const request: ApiRequest = { method, rawPath, query: parseQueryString(rawQuery), headers, body: read.body, requestId, signal };
    const refusal = await authenticate(request, state);
    if (refusal !== null) answer = errorResponse(refusal);
    else ({ response: answer, internalError } = await dispatch(request, context));
  }
  send(response, answer, requestId);
  const line = { requestId, operation, method, status: answer.status, durationMs: Math.round(performance.now() - started) };
  if (internalError !== null) context.logger.error({ ...line, err: internalError instanceof Error ? internalError.message : 'unknown error' }, 'Lambda API internal error');
  else context.logger.debug(line, 'Lambda API request');
}

/** Null when the request may proceed; else Lambda's authentication error. */
async function authenticate(request: ApiRequest, state: ServerState): Promise<LambdaApiError | null> {
  if (authDecision(state.policy, hasSignature(request.headers)).kind === 'accept-unverified') return null;
  try {
    await verifySignature(request, state.credentials, state.context.identity.region, state.context.now());
    return null;
  } catch (error) {
    return asLambdaApiError(error);
  }
}

function tooLarge(operation: string | null, headers: Readonly<Record<string, string>>, size: number): LambdaApiError {
  if (operation === 'Invoke') {
    const type = headers['x-amz-invocation-type'];
    const invocationType: ApiInvocationType = type === 'Event' || type === 'DryRun' ? type : 'RequestResponse';
    try {
      checkSize(invocationType, size);
    } catch (error) {
      return asLambdaApiError(error);
    }
  }
  return requestTooLarge(`Request must be smaller than ${SYNC_REQUEST_LIMIT_BYTES} bytes for the ${operation ?? 'requested'} operation`);
}

/** Lower-cased names; a repeated header's values joined with `,`, as SigV4 canonicalizes them. */
function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values !== undefined) headers[name] = values.join(',');
  }
  return headers;
}

function send(response: ServerResponse, answer: ApiResponse, requestId: string): void {
  const body = answer.body ?? new Uint8Array(0);
  response.writeHead(answer.status, {
    ...answer.headers,
    'x-amzn-RequestId': requestId,
    'content-length': String(body.byteLength),
  });
  response.end(body);
}
