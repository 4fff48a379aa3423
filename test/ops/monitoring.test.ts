/**
 * The Prometheus alert rules, their unit tests, the Grafana dashboard and every PromQL query under deploy/, checked
 * by promtool (built from the Prometheus Go module by .ci/ops-tools.sh), and every metric name they use checked
 * against the metrics Tributary really registers (src/observability/metrics.ts).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createMetrics } from '../../src/observability/metrics.js';
import { ROOT } from './helpers/podman.ts';
import { promtoolPath, tool } from './helpers/tools.ts';

const MONITORING = join(ROOT, 'deploy', 'monitoring');
const AUTOSCALING = join(ROOT, 'deploy', 'kubernetes', 'autoscaling');
const work = mkdtempSync(join(tmpdir(), 'tributary-monitoring-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface RuleFile {
  readonly groups: readonly { readonly name: string; readonly rules: readonly { readonly alert?: string; readonly expr: string }[] }[];
}
interface RuleTests {
  readonly tests: readonly { readonly name: string; readonly alert_rule_test: readonly { readonly alertname: string; readonly exp_alerts: readonly unknown[] }[] }[];
}
interface Dashboard {
  readonly uid: string;
  readonly templating: { readonly list: readonly { readonly name: string }[] };
  readonly panels: readonly { readonly type: string; readonly title: string; readonly datasource?: { readonly uid: string }; readonly targets?: readonly { readonly expr: string }[] }[];
}

const alerts = YAML.parse(readFileSync(join(MONITORING, 'alerts.yaml'), 'utf8')) as RuleFile;
const alertNames = alerts.groups.flatMap((group) => group.rules.map((rule) => rule.alert)).filter((name): name is string => name !== undefined);
const dashboard = JSON.parse(readFileSync(join(MONITORING, 'grafana-dashboard.json'), 'utf8')) as Dashboard;

/** Grafana's variables, as Grafana substitutes them for "All" and a typical range. */
function grafanaToPromql(expr: string): string {
  return expr.replaceAll('$__rate_interval', '5m').replaceAll('$pipeline', '.+').replaceAll('$instance', '.+');
}

/** prometheus-adapter's templates, as the adapter fills them for the HPA's selector. */
function adapterToPromql(expr: string): string {
  return expr.replaceAll('<<.LabelMatchers>>', 'pipeline="orders-stream"').replaceAll('<<.GroupBy>>', 'namespace, pipeline').replaceAll('<<.Series>>', 'tributary_offset_lag');
}

/** Every PromQL query in deploy/: dashboard targets, KEDA Prometheus triggers, adapter rules, alert expressions. */
function queries(): { where: string; expr: string }[] {
  const found: { where: string; expr: string }[] = [];
  for (const panel of dashboard.panels) for (const target of panel.targets ?? []) found.push({ where: `dashboard "${panel.title}"`, expr: grafanaToPromql(target.expr) });
  for (const file of readdirSync(join(AUTOSCALING, 'keda')).filter((f) => f.startsWith('scaledobject'))) {
    const doc = YAML.parse(readFileSync(join(AUTOSCALING, 'keda', file), 'utf8')) as { spec: { triggers: { type: string; metadata: { query?: string } }[] } };
    for (const trigger of doc.spec.triggers) if (trigger.type === 'prometheus' && trigger.metadata.query !== undefined) found.push({ where: file, expr: trigger.metadata.query });
  }
  const adapter = YAML.parse(readFileSync(join(AUTOSCALING, 'hpa', 'prometheus-adapter-values.yaml'), 'utf8')) as { rules: { external: { seriesQuery: string; metricsQuery: string }[] } };
  for (const rule of adapter.rules.external) {
    found.push({ where: 'prometheus-adapter seriesQuery', expr: rule.seriesQuery });
    found.push({ where: 'prometheus-adapter metricsQuery', expr: adapterToPromql(rule.metricsQuery) });
  }
  for (const group of alerts.groups) for (const rule of group.rules) found.push({ where: `alert ${rule.alert ?? '?'}`, expr: rule.expr });
  return found;
}

describe('alert rules (promtool)', () => {
  it('promtool check rules accepts alerts.yaml', async () => {
    const result = await tool(promtoolPath(), ['check', 'rules', 'alerts.yaml'], { cwd: MONITORING });
    expect(result.output).toContain(`SUCCESS: ${alertNames.length} rules found`);
    expect(result.code).toBe(0);
  });

  it('promtool test rules passes every unit test in alerts.test.yaml', async () => {
    const result = await tool(promtoolPath(), ['test', 'rules', 'alerts.test.yaml'], { cwd: MONITORING });
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('every alert has a case where it fires and one where it must not', () => {
    const tests = YAML.parse(readFileSync(join(MONITORING, 'alerts.test.yaml'), 'utf8')) as RuleTests;
    const cases = tests.tests.flatMap((test) => test.alert_rule_test);
    expect(alertNames.length).toBeGreaterThanOrEqual(8);
    for (const name of alertNames) {
      expect(cases.some((c) => c.alertname === name && c.exp_alerts.length > 0), `${name} fires somewhere`).toBe(true);
      expect(cases.some((c) => c.alertname === name && c.exp_alerts.length === 0), `${name} stays quiet somewhere`).toBe(true);
    }
    expect(alertNames).toEqual(
      expect.arrayContaining([
        'TributaryPipelineFailed',
        'TributaryIteratorAgeGrowing',
        'TributaryOffsetLagGrowing',
        'TributaryRecordsSentToOnFailure',
        'TributaryDestinationDeliveryFailing',
        'TributaryInvokeErrorRateHigh',
      ]),
    );
  });

  it('the unit tests catch a changed rule (a longer `for`, a lag summed over duplicate reports)', async () => {
    const mutated = join(work, 'mutated');
    rmSync(mutated, { recursive: true, force: true });
    mkdirSync(mutated);
    copyFileSync(join(MONITORING, 'alerts.test.yaml'), join(mutated, 'alerts.test.yaml'));
    const original = readFileSync(join(MONITORING, 'alerts.yaml'), 'utf8');
    const changed = original
      .replace('expr: max by (pipeline) (tributary_pipeline_state{state="Failed"}) == 1\n        for: 1m', 'expr: max by (pipeline) (tributary_pipeline_state{state="Failed"}) == 1\n        for: 10m')
      .replace('sum by (pipeline) (max by (pipeline, partition) (tributary_offset_lag)) > 1000', 'sum by (pipeline) (tributary_offset_lag) > 1000');
    expect(changed).not.toBe(original);
    writeFileSync(join(mutated, 'alerts.yaml'), changed);
    const result = await tool(promtoolPath(), ['test', 'rules', 'alerts.test.yaml'], { cwd: mutated });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('alertname: TributaryPipelineFailed');
    expect(result.output).toContain('alertname: TributaryOffsetLagGrowing');
  });
});

describe('queries of the dashboard, the autoscalers and the alerts', () => {
  it('parse as PromQL (promtool check rules on them as recording rules)', async () => {
    const all = queries();
    expect(all.length).toBeGreaterThan(30);
    const file = join(work, 'queries.yaml');
    writeFileSync(file, YAML.stringify({ groups: [{ name: 'deploy-queries', rules: all.map((q, i) => ({ record: `tributary_check:query_${i}`, expr: q.expr })) }] }));
    const result = await tool(promtoolPath(), ['check', 'rules', file]);
    expect(result.output, all.map((q, i) => `${i} ${q.where}: ${q.expr}`).join('\n')).toContain(`SUCCESS: ${all.length} rules found`);
    expect(result.code).toBe(0);
  });

  it('promtool rejects a broken query (so the check above can fail)', async () => {
    const file = join(work, 'broken.yaml');
    writeFileSync(file, YAML.stringify({ groups: [{ name: 'broken', rules: [{ record: 'tributary_check:broken', expr: 'sum by (pipeline (rate(tributary_polled_events_total[5m]))' }] }] }));
    expect((await tool(promtoolPath(), ['check', 'rules', file])).code).not.toBe(0);
  });

  it('use only metric names Tributary registers (or Node process metrics it exports)', async () => {
    const metrics = createMetrics();
    const registered = new Set<string>();
    for (const metric of await metrics.registry.getMetricsAsJSON()) {
      registered.add(metric.name);
      if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) registered.add(`${metric.name}${suffix}`);
    }
    const used = new Set(queries().flatMap((q) => q.expr.match(/\b(?:tributary|process|nodejs)_[a-z0-9_]+\b/g) ?? []).filter((name) => !name.startsWith('tributary_check')));
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((name) => !registered.has(name))).toEqual([]);
    // The names the issue fixed as stable are among them.
    for (const name of ['tributary_pipeline_state', 'tributary_destination_delivery_failures_total', 'tributary_commit_errors_total', 'tributary_invoke_errors_total', 'tributary_iterator_age_seconds', 'tributary_offset_lag', 'process_cpu_seconds_total']) {
      expect(used, name).toContain(name);
    }
  });
});

describe('the Grafana dashboard', () => {
  it('is one importable dashboard: a uid, a data source and pipeline / replica variables, every panel on the variable data source', () => {
    expect(dashboard.uid).toBe('tributary');
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'pipeline', 'instance']);
    const graphs = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(graphs.length).toBeGreaterThan(12);
    for (const panel of graphs) {
      expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
  });
});
