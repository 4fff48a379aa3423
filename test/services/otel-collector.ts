// A real OTLP receiver for the tracing tests: the OpenTelemetry Collector, built from the Go module in
// test/services/otelcol/ (the collector's own otlpreceiver and the contrib fileexporter, nothing hand-written on
// the wire), cached in .infra/otelcol/<hash of go.mod, go.sum, main.go and the Go version>/ so a CI run pays the Go
// build once (the Go module cache keeps the downloads too). Started per test file on a loopback port, receiving
// OTLP/HTTP and writing every export it receives as one OTLP-JSON line to a file the test reads. Not part of the
// shared harness (harness.ts), like the RIE (rie.ts): only the tracing tests use it.

import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA_DIR, SERVICES_DIR, errorMessage, isPortOpen, runToLog, superviseListener, tail } from './common.ts';

const MODULE_DIR = join(SERVICES_DIR, 'otelcol');
const CACHE_DIR = join(INFRA_DIR, 'otelcol');
const BUILD_TIMEOUT_MS = 15 * 60_000;
const READY_TIMEOUT_MS = 30_000;

function goCommand(): string {
  return process.env['GO'] ?? 'go';
}

function failure(what: string, detail: string): Error {
  return new Error(
    `${what}\nThe OTLP receiver is the OpenTelemetry Collector built from test/services/otelcol (needs Go on PATH or GO=…, ` +
      `and the Go module proxy on the first build). Nothing was skipped: fix the toolchain and run again.\n${detail}`,
  );
}

/** The cache key: what the binary is built from. */
function buildKey(): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(join(MODULE_DIR, file)));
  try {
    hash.update(execFileSync(goCommand(), ['env', 'GOVERSION'], { encoding: 'utf8', timeout: 30_000 }));
  } catch (error) {
    throw failure('Go is not available.', errorMessage(error));
  }
  return hash.digest('hex').slice(0, 16);
}

export interface CollectorBuild {
  readonly binary: string;
  /** 0 when the cached binary was used. */
  readonly buildMs: number;
}

/** Builds the collector unless the cached one matches; into a staging folder renamed into place (concurrent runs). */
export async function ensureCollectorBinary(log: (line: string) => void = () => undefined): Promise<CollectorBuild> {
  const dir = join(CACHE_DIR, buildKey());
  const binary = join(dir, 'otelcol');
  if (existsSync(binary)) return { binary, buildMs: 0 };
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const buildLog = join(CACHE_DIR, `build-${process.pid}.log`);
  writeFileSync(buildLog, `# go build -o ${staging}/otelcol . (in ${MODULE_DIR})\n`);
  log(`building the OpenTelemetry Collector from ${MODULE_DIR} with Go (log: ${buildLog})`);
  const started = performance.now();
  try {
    await runToLog(
      { command: goCommand(), args: ['build', '-trimpath', '-o', join(staging, 'otelcol'), '.'], cwd: MODULE_DIR, env: { GOFLAGS: '-mod=mod -buildvcs=false', CGO_ENABLED: '0' } },
      buildLog,
      BUILD_TIMEOUT_MS,
      'go build (otelcol)',
    );
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw failure('Building the collector failed.', `${errorMessage(error)}\n${tail(buildLog)}`);
  }
  const buildMs = Math.round(performance.now() - started);
  try {
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true }); // another run won the race: use its binary
    if (!existsSync(binary)) throw failure('Installing the built collector failed.', errorMessage(error));
  }
  return { binary, buildMs };
}

/** One exported span as the collector's OTLP-JSON file exporter writes it (the fields the tests read). */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly links: readonly { readonly traceId: string; readonly spanId: string; readonly attributes: Readonly<Record<string, unknown>> }[];
  readonly status: { readonly code?: number; readonly message?: string };
  /** The resource's attributes (`service.name` …). */
  readonly resource: Readonly<Record<string, unknown>>;
}

export interface RunningCollector {
  /** `http://127.0.0.1:<port>`: OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  readonly build: CollectorBuild;
  /** Every span received so far. */
  spans(): readonly ReceivedSpan[];
  logTail(): string;
  stop(): Promise<void>;
}

export interface StartCollectorOptions {
  /** The OTLP/HTTP port on 127.0.0.1. */
  readonly port: number;
  readonly log?: (line: string) => void;
}

/** Builds (once) and starts a collector; resolves when its OTLP/HTTP receiver accepts connections. */
export async function startCollector(options: StartCollectorOptions): Promise<RunningCollector> {
  const build = await ensureCollectorBinary(options.log);
  if (await isPortOpen('127.0.0.1', options.port)) throw new Error(`port ${options.port} is taken: the collector cannot listen on it`);
  const runDir = join(CACHE_DIR, 'run', String(options.port));
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const spansPath = join(runDir, 'spans.jsonl');
  const configPath = join(runDir, 'config.yaml');
  writeFileSync(configPath, collectorConfig(options.port, spansPath));
  const logPath = join(runDir, 'collector.log');
  const fd = openSync(logPath, 'w');
  let child: ChildProcess;
  try {
    child = spawn(build.binary, ['--config', configPath], { cwd: runDir, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  const stop = await superviseListener(child, options.port, { what: 'the collector', logPath, timeoutMs: READY_TIMEOUT_MS, graceMs: 5_000 });
  return { endpoint: `http://127.0.0.1:${options.port}`, build, spans: () => readSpans(spansPath), logTail: () => tail(logPath), stop };
}

/** OTLP/HTTP on loopback only, the file exporter flushing every 100 ms, no telemetry port of its own. */
function collectorConfig(port: number, spansPath: string): string {
  return [
    'receivers:',
    '  otlp:',
    '    protocols:',
    '      http:',
    `        endpoint: 127.0.0.1:${port}`,
    'exporters:',
    '  file:',
    `    path: ${JSON.stringify(spansPath)}`,
    '    format: json',
    '    flush_interval: 100ms',
    'service:',
    '  telemetry:',
    '    metrics:',
    '      level: none',
    '  pipelines:',
    '    traces:',
    '      receivers: [otlp]',
    '      exporters: [file]',
    '',
  ].join('\n');
}

type OtlpValue = { stringValue?: string; intValue?: string; boolValue?: boolean; doubleValue?: number; arrayValue?: { values?: OtlpValue[] } };
type OtlpKeyValue = { key: string; value: OtlpValue };

function valueOf(value: OtlpValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(valueOf);
  return null;
}

function attributesOf(list: readonly OtlpKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  attributes?: OtlpKeyValue[];
  links?: { traceId: string; spanId: string; attributes?: OtlpKeyValue[] }[];
  status?: { code?: number; message?: string };
}

function readSpans(path: string): ReceivedSpan[] {
  if (!existsSync(path)) return [];
  const spans: ReceivedSpan[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const request = JSON.parse(line) as { resourceSpans?: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[] };
    for (const resourceSpans of request.resourceSpans ?? []) {
      const resource = attributesOf(resourceSpans.resource?.attributes);
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          spans.push({
            traceId: span.traceId,
            spanId: span.spanId,
            ...(span.parentSpanId === undefined || span.parentSpanId === '' ? {} : { parentSpanId: span.parentSpanId }),
            name: span.name,
            kind: span.kind ?? 0,
            attributes: attributesOf(span.attributes),
            links: (span.links ?? []).map((link) => ({ traceId: link.traceId, spanId: link.spanId, attributes: attributesOf(link.attributes) })),
            status: span.status ?? {},
            resource,
          });
        }
      }
    }
  }
  return spans;
}
