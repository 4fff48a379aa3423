/**
 * The operations endpoint (node:http): `/healthz` liveness, `/readyz` every enabled pipeline connected and
 * polling, `/metrics` Prometheus text (each pipeline's `metricsConfig` selection), `/status` JSON, and `/` the status page that polls `/status`.
 * Binds 127.0.0.1 unless told otherwise.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { TributaryError } from '../errors.js';
import { withoutHiddenSeries } from '../observability/metric-groups.js';
import type { RecentEvents } from '../observability/recent-events.js';
import { STATUS_PAGE_HEADERS, STATUS_PAGE_HTML } from './status-page.js';
import { StatusReporter, type StatusSource } from './status-report.js';

export type { StatusSource, StatusReport, PipelineStatusReport, RecentEventView, CounterTotals, LaneReading, Throughput } from './status-report.js';

export interface OpsServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface OpsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  readonly status: StatusSource;
  /** Recent notable events shown per pipeline in `/status` (omitted: none). */
  readonly recentEvents?: RecentEvents;
  /** Clock for `/status` timestamps and throughput; default `Date.now`. */
  readonly now?: () => number;
  /** Told when throughput sampling fails (it keeps going). */
  readonly onError?: (error: unknown) => void;
  /**
   * Per pipeline, the metric families `/metrics` leaves out (its `metricsConfig`, observability/metric-groups.ts);
   * read at every scrape, so a mapping updated through the API exports its new selection. Omitted: everything.
   */
  readonly hiddenSeries?: () => ReadonlyMap<string, ReadonlySet<string>>;
}

/** Headers every response carries: no MIME sniffing, never cached (the numbers are live). */
const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const;

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const reporter = new StatusReporter({
    registry: options.registry,
    status: options.status,
    ...(options.recentEvents === undefined ? {} : { recentEvents: options.recentEvents }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  const server: Server = createServer((request, response) => handle(request, response, options, reporter));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new TributaryError('SERVER_FAILED', `cannot listen on ${options.host}:${options.port}`, { cause: error })));
    server.listen(options.port, options.host, () => resolve());
  });
  reporter.start();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        reporter.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function handle(request: IncomingMessage, response: ServerResponse, options: OpsServerOptions, reporter: StatusReporter): void {
  const path = (request.url ?? '/').split('?')[0];
  const json = (code: number, body: unknown): void => {
    response.writeHead(code, { ...COMMON_HEADERS, 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    json(405, { error: 'method not allowed' });
    return;
  }
  switch (path) {
    case '/':
    case '/index.html':
      response.writeHead(200, STATUS_PAGE_HEADERS);
      response.end(STATUS_PAGE_HTML);
      return;
    case '/healthz':
      json(200, { status: 'ok' });
      return;
    case '/readyz': {
      const ready = options.status.ready();
      json(ready ? 200 : 503, { ready, pipelines: options.status.statuses().map((s) => ({ name: s.name, state: s.state })) });
      return;
    }
    case '/status':
      reporter.report().then(
        (report) => json(200, report),
        () => json(500, { error: 'status unavailable' }),
      );
      return;
    case '/metrics':
      options.registry.metrics().then(
        (text) => {
          response.writeHead(200, { ...COMMON_HEADERS, 'content-type': options.registry.contentType });
          response.end(withoutHiddenSeries(text, options.hiddenSeries?.() ?? new Map()));
        },
        () => json(500, { error: 'metrics unavailable' }),
      );
      return;
    default:
      json(404, { error: 'not found' });
  }
}
