/**
 * The OpenTelemetry SDK, set up from the environment (./settings.ts): a tracer provider with the configured sampler,
 * a batch span processor and an OTLP/HTTP exporter (protobuf or JSON), its resource from `OTEL_SERVICE_NAME` /
 * `OTEL_RESOURCE_ATTRIBUTES` over `service.name=tributary`. Imported only by ./start.ts, and only when tracing is on:
 * a deployment without tracing never loads these packages.
 *
 * Nothing is registered globally (no global provider, propagator or context manager): the engine's spans are made
 * on this provider's tracer explicitly, so a library user's own OpenTelemetry setup is never touched. The SDK's own
 * diagnostics (an export that failed, a dropped span) go to the service's logger.
 *
 * Trace ids are X-Ray compatible (the first 32 bits are the epoch seconds, as AWS's X-Ray id generator makes
 * them), so the header handed to the function is one X-Ray itself accepts.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html#xray-api-traceids
 */
import { randomBytes } from 'node:crypto';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type IdGenerator,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import type { Logger } from '../logger.js';
import { otelTracing, TRACER_NAME } from './otel-tracer.js';
import type { OtlpProtocol, SamplerSetting, TracingSettings } from './settings.js';
import type { Tracing } from './types.js';

/** How long shutdown may wait for the last export (the exporter's own timeout bounds each request too). */
const SHUTDOWN_TIMEOUT_MS = 10_000;

export function startSdkTracing(settings: Extract<TracingSettings, { kind: 'on' }>, logger: Logger): Tracing {
  diag.setLogger(diagLogger(logger), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'tributary' }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new TracerProvider({
    resource,
    sampler: samplerOf(settings.sampler),
    idGenerator: X_RAY_IDS,
    spanProcessors: [new BatchSpanProcessor({ exporter: exporterOf(settings.protocol), ...settings.batch })],
  });
  const shutdown = async (): Promise<void> => {
    const timer = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_TIMEOUT_MS).unref());
    await Promise.race([provider.shutdown().catch((error: unknown) => logger.warn({ err: String(error) }, 'tracing: the last spans were not exported')), timer]);
  };
  return otelTracing(provider.getTracer(TRACER_NAME), shutdown);
}

/** The exporters read the endpoint, headers, timeout, compression and certificates from the environment. */
function exporterOf(protocol: OtlpProtocol): SpanExporter {
  return protocol === 'http/json' ? new OtlpJsonExporter() : new OtlpProtobufExporter();
}

function samplerOf(setting: SamplerSetting): Sampler {
  const root = rootSampler(setting);
  return setting.parentBased ? new ParentBasedSampler({ root }) : root;
}

function rootSampler(setting: SamplerSetting): Sampler {
  switch (setting.kind) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(setting.ratio);
  }
}

/** X-Ray-compatible ids: `<8 hex epoch seconds><24 random hex>` trace ids, random span ids. */
const X_RAY_IDS: IdGenerator = {
  generateTraceId: () => Math.floor(Date.now() / 1000).toString(16).padStart(8, '0') + randomBytes(12).toString('hex'),
  generateSpanId: () => randomBytes(8).toString('hex'),
};

function diagLogger(logger: Logger): DiagLogger {
  const child = logger.child({ component: 'opentelemetry' });
  const line = (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') => (message: string, ...args: unknown[]) =>
    child[level]({ detail: args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ') || undefined }, message);
  return { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug'), verbose: line('trace') };
}
