/**
 * Whether tracing is on, and how, from the standard OpenTelemetry environment variables. Pure: the environment is
 * passed in. https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 * https://opentelemetry.io/docs/specs/otel/protocol/exporter/
 *
 * Off unless configured: tracing starts only when an OTLP endpoint is named (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or `OTEL_TRACES_EXPORTER=otlp` asks for the default one
 * (`http://localhost:4318`), so a deployment that sets nothing never loads the SDK nor tries to export.
 * `OTEL_SDK_DISABLED=true` and `OTEL_TRACES_EXPORTER=none` turn it off whatever else is set. The exporters read the
 * endpoint, headers, timeout, compression and TLS variables themselves (@opentelemetry/otlp-exporter-base); the
 * resource reads `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` (@opentelemetry/resources). Invalid values are
 * warned about and replaced by the specification's defaults, as the specification asks of SDKs.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** OTLP over HTTP, protobuf or JSON bodies (gRPC is not bundled). */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

export type SamplerSetting =
  | { readonly kind: 'always_on' | 'always_off'; readonly parentBased: boolean }
  | { readonly kind: 'traceidratio'; readonly ratio: number; readonly parentBased: boolean };

/** The batch span processor's knobs (`OTEL_BSP_*`), ms and counts. */
export interface BatchSettings {
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
}

export type TracingSettings =
  | { readonly kind: 'off'; readonly reason: string; readonly warnings: readonly string[] }
  | {
      readonly kind: 'on';
      readonly protocol: OtlpProtocol;
      readonly sampler: SamplerSetting;
      readonly batch: BatchSettings;
      /** The configured endpoint, for the start-up log line (null: the exporter's default). */
      readonly endpoint: string | null;
      readonly warnings: readonly string[];
    };

const DEFAULT_SAMPLER: SamplerSetting = { kind: 'always_on', parentBased: true };
const BATCH_DEFAULTS: BatchSettings = { scheduledDelayMillis: 5_000, exportTimeoutMillis: 30_000, maxQueueSize: 2_048, maxExportBatchSize: 512 };

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

export function tracingSettings(env: Env): TracingSettings {
  const warnings: string[] = [];
  if (value(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return { kind: 'off', reason: 'OTEL_SDK_DISABLED=true', warnings };
  const exporters = (value(env, 'OTEL_TRACES_EXPORTER') ?? '').split(',').map((e) => e.trim().toLowerCase()).filter((e) => e !== '');
  if (exporters.includes('none')) return { kind: 'off', reason: 'OTEL_TRACES_EXPORTER=none', warnings };
  const unsupported = exporters.filter((e) => e !== 'otlp');
  if (unsupported.length > 0) warnings.push(`OTEL_TRACES_EXPORTER: only otlp is supported (ignored: ${unsupported.join(', ')})`);
  const endpoint = value(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? null;
  if (endpoint === null && !exporters.includes('otlp')) return { kind: 'off', reason: 'no OTLP endpoint configured', warnings };
  const protocol = value(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? value(env, 'OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    return { kind: 'off', reason: `OTLP protocol ${protocol} is not supported (use http/protobuf or http/json)`, warnings };
  }
  return { kind: 'on', protocol, sampler: samplerSetting(env, warnings), batch: batchSettings(env, warnings), endpoint, warnings };
}

function samplerSetting(env: Env, warnings: string[]): SamplerSetting {
  const name = value(env, 'OTEL_TRACES_SAMPLER')?.toLowerCase() ?? 'parentbased_always_on';
  const parentBased = name.startsWith('parentbased_');
  const kind = parentBased ? name.slice('parentbased_'.length) : name;
  if (kind === 'always_on' || kind === 'always_off') return { kind, parentBased };
  if (kind === 'traceidratio') return { kind, ratio: samplerRatio(env, warnings), parentBased };
  warnings.push(`OTEL_TRACES_SAMPLER=${name} is not supported: using parentbased_always_on`);
  return DEFAULT_SAMPLER;
}

/** `OTEL_TRACES_SAMPLER_ARG` for the ratio samplers: a probability in [0, 1], default 1. */
function samplerRatio(env: Env, warnings: string[]): number {
  const raw = value(env, 'OTEL_TRACES_SAMPLER_ARG');
  if (raw === undefined) return 1;
  const ratio = Number(raw);
  if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return ratio;
  warnings.push(`OTEL_TRACES_SAMPLER_ARG=${raw} is not a probability between 0 and 1: using 1`);
  return 1;
}

function batchSettings(env: Env, warnings: string[]): BatchSettings {
  const read = (name: string, fallback: number, min: number): number => {
    const raw = value(env, name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (Number.isInteger(parsed) && parsed >= min) return parsed;
    warnings.push(`${name}=${raw} is not an integer of at least ${min}: using ${fallback}`);
    return fallback;
  };
  const maxQueueSize = read('OTEL_BSP_MAX_QUEUE_SIZE', BATCH_DEFAULTS.maxQueueSize, 1);
  // The specification: the export batch size must not exceed the queue size.
  const maxExportBatchSize = Math.min(read('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', BATCH_DEFAULTS.maxExportBatchSize, 1), maxQueueSize);
  return {
    scheduledDelayMillis: read('OTEL_BSP_SCHEDULE_DELAY', BATCH_DEFAULTS.scheduledDelayMillis, 0),
    exportTimeoutMillis: read('OTEL_BSP_EXPORT_TIMEOUT', BATCH_DEFAULTS.exportTimeoutMillis, 0),
    maxQueueSize,
    maxExportBatchSize,
  };
}
