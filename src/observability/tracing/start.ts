/**
 * Starts tracing the way OpenTelemetry SDKs do, from the standard environment variables (./settings.ts), or on a
 * tracer provider a library user already has. When nothing configures it this returns {@link NOOP_TRACING} without
 * loading any OpenTelemetry package, so a deployment without tracing pays nothing for it.
 */
import type { TracerProvider } from '@opentelemetry/api';
import { silentLogger, type Logger } from '../logger.js';
import { tracingSettings, type Env } from './settings.js';
import { NOOP_TRACING, type Tracing } from './types.js';

export interface StartTracingOptions {
  /** Where the `OTEL_*` variables are read (default `process.env`; the exporters read `process.env` themselves). */
  readonly env?: Env;
  /** Start-up lines and the SDK's own warnings (a failed export); default: none. */
  readonly logger?: Logger;
}

/** Tracing configured by `OTEL_*`, or off. Never throws: a configuration it cannot use is logged and ignored. */
export async function startTracing(options: StartTracingOptions = {}): Promise<Tracing> {
  const logger = options.logger ?? silentLogger();
  const settings = tracingSettings(options.env ?? process.env);
  for (const warning of settings.warnings) logger.warn({ warning }, 'tracing configuration');
  if (settings.kind === 'off') {
    logger.debug({ reason: settings.reason }, 'tracing off');
    return NOOP_TRACING;
  }
  try {
    const { startSdkTracing } = await import('./sdk.js');
    const tracing = startSdkTracing(settings, logger);
    logger.info({ endpoint: settings.endpoint ?? 'http://localhost:4318', protocol: settings.protocol, sampler: settings.sampler.kind }, 'tracing on: spans are exported over OTLP');
    return tracing;
  } catch (error) {
    logger.error({ err: error instanceof Error ? error.message : String(error) }, 'tracing could not start; running without it');
    return NOOP_TRACING;
  }
}

/**
 * Tracing on a provider the caller set up (a library user with their own OpenTelemetry SDK): the engine's spans go
 * wherever that provider sends its spans. Its shutdown stays the caller's.
 */
export async function tracingFromProvider(provider: TracerProvider): Promise<Tracing> {
  const { otelTracing, TRACER_NAME } = await import('./otel-tracer.js');
  return otelTracing(provider.getTracer(TRACER_NAME), async () => undefined);
}
