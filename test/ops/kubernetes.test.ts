/**
 * deploy/kubernetes/: every kustomization built with `kubectl kustomize`, the result checked by kubeconform in strict
 * mode against the Kubernetes API schemas (no unknown field, right types, required fields), and the KEDA objects
 * against KEDA's API models (@kubernetes-models/keda, generated from KEDA's Go types). The Kubernetes schemas are
 * kubernetes-validate's, unpacked by .ci/ops-tools.sh.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ROOT } from './helpers/podman.ts';
import { kubeconformPath, kubernetesSchemaDir, kubernetesVersion, tool } from './helpers/tools.ts';

const KUBERNETES = join(ROOT, 'deploy', 'kubernetes');
const ROOTS = ['.', 'autoscaling/keda', 'autoscaling/hpa'] as const;
const KEDA = join(KUBERNETES, 'autoscaling', 'keda');
const work = mkdtempSync(join(tmpdir(), 'tributary-k8s-'));
let schemaLocation: string;
const built = new Map<string, { file: string; docs: { kind: string; metadata: { name: string }; spec?: Record<string, unknown> }[] }>();

beforeAll(async () => {
  schemaLocation = join(kubernetesSchemaDir(), '{{ .ResourceKind }}{{ .KindSuffix }}.json');
  for (const root of ROOTS) {
    const result = await tool('kubectl', ['kustomize', join(KUBERNETES, root)]);
    if (result.code !== 0) throw new Error(`kubectl kustomize ${root} failed: ${result.output}`);
    const file = join(work, `${root.replaceAll('/', '-')}.yaml`);
    writeFileSync(file, result.output);
    built.set(root, { file, docs: YAML.parseAllDocuments(result.output).map((doc) => doc.toJS() as never) });
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function kubeconform(files: readonly string[]): Promise<{ code: number; summary: { valid: number; invalid: number; errors: number; skipped: number }; output: string }> {
  const result = await tool(kubeconformPath(), [
    '-strict',
    '-summary',
    '-output', 'json',
    '-kubernetes-version', kubernetesVersion(),
    '-schema-location', schemaLocation,
    // KEDA's kinds are checked against KEDA's own models below.
    '-skip', 'ScaledObject,TriggerAuthentication',
    ...files,
  ]);
  const parsed = JSON.parse(result.output) as { summary: { valid: number; invalid: number; errors: number; skipped: number } };
  return { code: result.code, summary: parsed.summary, output: result.output };
}

describe('Kubernetes manifests', () => {
  it.each(ROOTS)('kubectl kustomize %s passes kubeconform -strict (Kubernetes schemas)', async (root) => {
    const result = await kubeconform([built.get(root)?.file ?? '']);
    expect(result.output).not.toMatch(/"status": "statusInvalid"|"status": "statusError"/);
    expect(result.summary.invalid + result.summary.errors, result.output).toBe(0);
    expect(result.summary.valid).toBeGreaterThanOrEqual(5);
    expect(result.code).toBe(0);
  });

  it('kubeconform -strict rejects an unknown field and a wrong type (so the check above can fail)', async () => {
    const deployment = (built.get('.')?.docs ?? []).find((doc) => doc.kind === 'Deployment');
    const broken = join(work, 'broken.yaml');
    writeFileSync(broken, YAML.stringify({ ...deployment, spec: { ...deployment?.spec, replica: 3, minReadySeconds: 'soon' } }));
    const result = await kubeconform([broken]);
    expect(result.summary.invalid).toBe(1);
    expect(result.output).toMatch(/replica/);
    expect(result.code).not.toBe(0);
  });

  it('the base runs 3 replicas with a PodDisruptionBudget; the autoscaling overlays leave the count to the autoscaler', () => {
    const kinds = (root: string): string[] => (built.get(root)?.docs ?? []).map((doc) => doc.kind).sort();
    expect(kinds('.')).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    expect(kinds('autoscaling/keda')).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'ScaledObject', 'Service', 'ServiceAccount']);
    expect(kinds('autoscaling/hpa')).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    const deployment = (root: string): Record<string, unknown> | undefined => built.get(root)?.docs.find((doc) => doc.kind === 'Deployment')?.spec;
    expect(deployment('.')?.['replicas']).toBe(3);
    expect(deployment('autoscaling/keda')).not.toHaveProperty('replicas');
    expect(deployment('autoscaling/hpa')).not.toHaveProperty('replicas');
    const pdb = built.get('.')?.docs.find((doc) => doc.kind === 'PodDisruptionBudget')?.spec;
    expect(pdb).toMatchObject({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'tributary' } } });
  });

  it('the base ConfigMap no longer says the Kafka source is not available', () => {
    const configmap = readFileSync(join(KUBERNETES, 'base', 'configmap.yaml'), 'utf8');
    expect(configmap).not.toMatch(/once the Kafka source is available/);
    expect(configmap).toMatch(/Kafka \/ MSK variant/);
  });
});

describe('KEDA objects (KEDA API models)', () => {
  const kedaFiles = readdirSync(KEDA).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');

  it.each(kedaFiles)('%s validates against KEDA v1alpha1', (file) => {
    const doc = YAML.parse(readFileSync(join(KEDA, file), 'utf8')) as { kind: string; spec: { scaleTargetRef?: { name: string }; maxReplicaCount?: number; minReplicaCount?: number } };
    if (doc.kind === 'ScaledObject') {
      expect(() => new ScaledObject(doc as never).validate()).not.toThrow();
      expect(doc.spec.scaleTargetRef?.name).toBe('tributary');
      expect(doc.spec.maxReplicaCount).toBeGreaterThan(doc.spec.minReplicaCount ?? 0);
    } else {
      expect(doc.kind).toBe('TriggerAuthentication');
      expect(() => new TriggerAuthentication(doc as never).validate()).not.toThrow();
    }
  });

  it('the models reject a ScaledObject without scaleTargetRef, or a count that is not a number', () => {
    const doc = YAML.parse(readFileSync(join(KEDA, 'scaledobject.yaml'), 'utf8')) as { spec: Record<string, unknown> };
    const { scaleTargetRef: _target, ...spec } = doc.spec;
    expect(() => new ScaledObject({ ...doc, spec } as never).validate()).toThrow(/scaleTargetRef/);
    expect(() => new ScaledObject({ ...doc, spec: { ...doc.spec, maxReplicaCount: 'four' } } as never).validate()).toThrow(/maxReplicaCount/);
  });

  it('the Prometheus ScaledObject in the overlay is the file in the folder, targeting the base Deployment', () => {
    const inOverlay = built.get('autoscaling/keda')?.docs.find((doc) => doc.kind === 'ScaledObject');
    expect(inOverlay?.metadata.name).toBe('tributary');
    const hpa = built.get('autoscaling/hpa')?.docs.find((doc) => doc.kind === 'HorizontalPodAutoscaler');
    expect(hpa?.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'tributary' }, minReplicas: 1 });
  });
});
