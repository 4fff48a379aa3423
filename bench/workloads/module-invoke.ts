/**
 * The `module` runner per invocation: an SQS event of 10 and of 1,000 records through Tributary's ModuleRunner
 * (a warm sandbox) against a raw worker-thread postMessage round trip running the same handler.
 */
import type { BenchOptions, CaseSpec, Workload } from '../lib/types.ts';

export const workload: Workload = {
  id: 'module-invoke',
  services: [],
  async prepare(options: BenchOptions): Promise<readonly CaseSpec[]> {
    return [10, 1_000].map((records) => {
      const invocations = options.quick ? 20 : records === 10 ? 3_000 : 300;
      const params = { records, warmup: options.quick ? 5 : Math.ceil(invocations / 5), invocations };
      return {
        id: `module-invoke/${records}`,
        title: `\`module\` runner per invoke: SQS event of ${records.toLocaleString('en-US')} records, warm sandbox, ${invocations.toLocaleString('en-US')} sequential invocations`,
        contenders: [
          { id: 'tributary', role: 'tributary', label: 'Tributary ModuleRunner', module: 'module-tributary', params },
          { id: 'worker', role: 'raw', label: 'worker postMessage round trip', module: 'module-raw-worker', params },
        ],
        show: ['perInvoke', 'cpuPerInvoke', 'peakRss'],
        ratio: { metric: 'perInvoke', better: 'lower' },
      } satisfies CaseSpec;
    });
  },
};
