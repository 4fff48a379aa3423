/**
 * The operations endpoint (node:http): `/healthz` liveness, `/readyz` every enabled pipeline connected and
 * polling, `/metrics` Prometheus text, `/status` JSON. Binds 127.0.0.1 unless told otherwise.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { TributaryError } from '../errors.js';
import type { PipelineStatus } from '../pipeline/pipeline.js';

export interface StatusSource {
  statuses(): readonly PipelineStatus[];
  ready(): boolean;
}

export interface OpsServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startOpsServer(options: { host: string; port: number; registry: Registry; status: StatusSource }): Promise<OpsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const json = (code: number, body: unknown): void => {
      response.writeHead(code, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      json(405, { error: 'method not allowed' });
      return;
    }
    switch (path) {
      case '/healthz':
        json(200, { status: 'ok' });
        return;
      case '/readyz': {
        const ready = options.status.ready();
        json(ready ? 200 : 503, { ready, pipelines: options.status.statuses().map((s) => ({ name: s.name, state: s.state })) });
        return;
      }
      case '/status':
        json(200, { pipelines: options.status.statuses() });
        return;
      case '/metrics':
        options.registry.metrics().then(
          (text) => {
            response.writeHead(200, { 'content-type': options.registry.contentType });
            response.end(text);
          },
          () => json(500, { error: 'metrics unavailable' }),
        );
        return;
      default:
        json(404, { error: 'not found' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new TributaryError('SERVER_FAILED', `cannot listen on ${options.host}:${options.port}`, { cause: error })));
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
