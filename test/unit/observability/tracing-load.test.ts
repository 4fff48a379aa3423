/**
 * Tracing off costs nothing: importing Tributary and starting tracing without OTEL_* loads none of the OpenTelemetry
 * SDK or exporter packages (`@opentelemetry/api` is loaded anyway, by prom-client's exemplar support). Run in a
 * child process, so the module graph is Node's own.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PROBE = fileURLToPath(new URL('../../fixtures/tracing/load-probe.mjs', import.meta.url));
const ENTRY = fileURLToPath(new URL('../../../src/index.ts', import.meta.url));

function probe(env: Record<string, string>): { enabled: boolean; loaded: string[] } {
  const out = execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', PROBE, ENTRY, JSON.stringify(env)], { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { enabled: boolean; loaded: string[] };
}

describe('tracing is loaded only when configured', () => {
  it('off: no SDK, exporter, resource or semantic-conventions package is loaded', { timeout: 60_000 }, () => {
    const off = probe({});
    expect(off.enabled).toBe(false);
    expect(off.loaded.filter((name) => name !== '@opentelemetry/api')).toEqual([]);
  });

  it('on: the SDK and the OTLP exporters are loaded', { timeout: 60_000 }, () => {
    const on = probe({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(on.enabled).toBe(true);
    expect(on.loaded).toEqual(expect.arrayContaining(['@opentelemetry/sdk-trace', '@opentelemetry/exporter-trace-otlp-proto', '@opentelemetry/resources']));
  });
});
