// The ops suite (`npm run test:ops`, run by .ci/run after `npm test`): the container image built and run with
// buildah / podman, and the monitoring and deployment files checked by promtool and kubeconform. It needs tools
// the unit and integration suites do not (.ci/ops-tools.sh installs them), so it is a configuration of its own.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/ops/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/integration/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
  },
});
