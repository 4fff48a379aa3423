/**
 * GET requests to a Confluent-compatible schema registry over node:http(s), with the registry's credentials: Basic
 * authentication (BASIC_AUTH), a client certificate (CLIENT_CERTIFICATE_TLS_AUTH) and a private CA
 * (SERVER_ROOT_CA_CERTIFICATE). The answer is parsed JSON; a 404 is `null` (the schema does not exist: the record
 * that names it cannot be decoded); anything else that is not a 2xx, and every network failure, is a retryable
 * SOURCE_UNAVAILABLE — the registry may come back, and records wait for it instead of going to the on-failure
 * destination. Messages name the registry URL and the HTTP status, never a credential.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { TributaryError } from '../../../src/errors.js';

/** How requests authenticate and verify the registry. Secrets: never logged. */
export interface RegistryTransport {
  /** `Authorization` header value, e.g. `Basic …`. */
  readonly authorization?: string;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly passphrase?: string;
}

/** The registry answered 401 or 403: worth fetching the credentials again. */
export class RegistryRefusedError extends TributaryError {
  readonly status: number;
  constructor(url: string, status: number) {
    super('SOURCE_UNAVAILABLE', `schema registry ${url} refused the request (HTTP ${status}): check its accessConfigs`, { retryable: true });
    this.status = status;
  }
}

const TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** GET `url` → its JSON, or null on 404. */
export function getJson(url: string, transport: RegistryTransport, signal: AbortSignal): Promise<unknown> {
  const target = new URL(url);
  const shown = `${target.origin}${target.pathname}`;
  const options: RequestOptions = {
    method: 'GET',
    headers: { accept: 'application/vnd.schemaregistry.v1+json, application/json', ...(transport.authorization === undefined ? {} : { authorization: transport.authorization }) },
    signal,
    timeout: TIMEOUT_MS,
    ...(transport.ca === undefined ? {} : { ca: transport.ca }),
    ...(transport.cert === undefined ? {} : { cert: transport.cert }),
    ...(transport.key === undefined ? {} : { key: transport.key }),
    ...(transport.passphrase === undefined ? {} : { passphrase: transport.passphrase }),
  };
  const unavailable = (why: string, cause?: unknown): TributaryError =>
    new TributaryError('SOURCE_UNAVAILABLE', `schema registry ${shown}: ${why}`, { retryable: true, ...(cause === undefined ? {} : { cause }) });
  return new Promise((resolve, reject) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > MAX_BODY_BYTES) req.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', (error) => reject(unavailable(`reading the answer failed: ${error.message}`, error)));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status === 404) return resolve(null);
        if (status === 401 || status === 403) return reject(new RegistryRefusedError(shown, status));
        if (status < 200 || status >= 300) return reject(unavailable(`HTTP ${status}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
        } catch (error) {
          reject(unavailable('the answer is not JSON', error));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (error) => {
      if (signal.aborted) reject(new TributaryError('STOPPED', `schema registry ${shown}: request aborted`, { retryable: true }));
      else reject(unavailable(`${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}`, error));
    });
    req.end();
  });
}
