// The FunctionRunner contract (test/contract/function-runner.contract.ts) for the two local runners: `module` (the
// handler file in worker-thread sandboxes) and `in-process` (the same handler imported into this process). The
// remote runners (`http`, `lambda`) run the same suite against the Lambda Runtime Interface Emulator in
// test/integration/runner-contract-rie.test.ts.

import { ModuleRunner } from '../../../src/runner/module-runner.js';
import { InProcessRunner } from '../../../src/runner/in-process-runner.js';
import { describeFunctionRunnerContract, loadRunnerHandler, RUNNER_HANDLER_EXPORT, RUNNER_HANDLER_FILE, type RunnerTraits } from '../../contract/function-runner.contract.ts';

/** What Lambda answers for a function it runs itself: 200 from $LATEST; a timeout is answered too (200, Unhandled). */
const LOCAL = { executedVersion: '$LATEST', timeoutAnswered: true, remainingTime: { kind: 'runner-deadline' } } as const;

const moduleTraits = (broken: () => ModuleRunner): RunnerTraits => ({
  ...LOCAL,
  // process.exit ends only the sandbox's worker; an uncaught exception is reported by the worker, which is then terminated.
  crash: { contained: true, statusCode: 200 },
  afterEarlyEnd: 'environment-discarded',
  callerAbort: { kind: 'timeout', errorType: 'Aborted' },
  broken: { create: broken, errorType: 'Runtime.HandlerNotFound' },
});

describeFunctionRunnerContract('module (worker-thread sandboxes)', async () => {
  const create = (handlerExport: string): ModuleRunner =>
    new ModuleRunner({ functionName: 'contract', handlerFile: RUNNER_HANDLER_FILE, handlerExport, memorySizeMb: 256, region: 'eu-west-1' });
  return { runner: create(RUNNER_HANDLER_EXPORT), traits: moduleTraits(() => create('missingExport')) };
});

describeFunctionRunnerContract('in-process (the handler imported into this process)', async () => {
  const create = (load: () => ReturnType<typeof loadRunnerHandler>): InProcessRunner => new InProcessRunner({ functionName: 'contract', memorySizeMb: 128, region: 'eu-west-1', load });
  return {
    runner: create(loadRunnerHandler),
    traits: {
      ...LOCAL,
      crash: { contained: false, reason: 'an in-process handler shares the service’s process: process.exit or an uncaught exception ends the service itself (use the module runner to contain it)' },
      // Nothing can stop a function running in this process: its late result is ignored.
      afterEarlyEnd: 'handler-runs-on',
      callerAbort: { kind: 'timeout', errorType: 'Aborted' },
      broken: { create: () => create(() => Promise.reject(new Error('Cannot find module ./missing'))), errorType: 'Runtime.ImportModuleError' },
    },
  };
});
