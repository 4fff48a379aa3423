// The FunctionRunner contract (test/contract/function-runner.contract.ts) for the two remote runners, against the
// real AWS Lambda Runtime Interface Emulator (test/services/rie.ts builds it from its Go module) running the
// contract handler under test/fixtures/lambda-runtime/bootstrap.mjs, a real client of the Lambda Runtime API:
// `http` POSTs to the RIE's invoke URL, `lambda` calls Invoke through @aws-sdk/client-lambda at the RIE's endpoint.
// Each runner gets its own emulator; the RIE serves one invocation at a time, and the suite runs in order.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HttpRunner } from '../../src/runner/http-runner.js';
import { LambdaRunner } from '../../src/runner/lambda-runner.js';
import { startRie, type RunningRie } from '../services/rie.ts';
import { waitFor } from './helpers/wait.js';
import { describeFunctionRunnerContract, RUNNER_HANDLER_DIR, RUNNER_HANDLER_SPEC, type RunnerTraits } from '../contract/function-runner.contract.ts';

const BOOTSTRAP = fileURLToPath(new URL('../fixtures/lambda-runtime/bootstrap.mjs', import.meta.url));
/** The function's own timeout (AWS_LAMBDA_FUNCTION_TIMEOUT): longer than any handler of the suite sleeps. */
const FUNCTION_TIMEOUT_SECONDS = 20;

/**
 * Resolves once the emulator has finished every invocation it started: as many ends (`END RequestId`, or `Invoke DONE
 * failed` for a runtime that died) as starts in its log.
 */
async function idle(emulator: RunningRie): Promise<void> {
  await waitFor(() => {
    const log = readFileSync(emulator.logPath, 'utf8');
    const starts = log.match(/^START RequestId/gm)?.length ?? 0;
    const ends = (log.match(/^END RequestId/gm)?.length ?? 0) + (log.match(/Invoke DONE failed/g)?.length ?? 0);
    return ends >= starts;
  }, 30_000, 'the emulator to finish its invocations');
}

function rie(): Promise<RunningRie> {
  return startRie({
    command: [process.execPath, BOOTSTRAP],
    handler: RUNNER_HANDLER_SPEC,
    taskRoot: RUNNER_HANDLER_DIR,
    functionTimeoutSeconds: FUNCTION_TIMEOUT_SECONDS,
    log: (line) => process.stderr.write(`[rie] ${line}\n`),
  });
}

/** What both remote runners share: the emulator's answers, a function that never learns the runner's deadline. */
const REMOTE = {
  // The RIE answers a runtime that died mid-invocation with 502 and a Runtime.ExitError document (Lambda: 200 + FunctionError).
  crash: { contained: true, statusCode: 502 },
  // The emulator runs the invocation on after the runner gave up: the next one waits for it (it serves one at a time).
  afterEarlyEnd: 'handler-runs-on',
  // The RIE sends no X-Amz-Executed-Version / ExecutedVersion.
  executedVersion: undefined,
  // The runner gave up at its deadline: no answer from the function.
  timeoutAnswered: false,
  remainingTime: { kind: 'function-timeout', timeoutMs: FUNCTION_TIMEOUT_SECONDS * 1000 },
} as const satisfies Partial<RunnerTraits>;

describeFunctionRunnerContract('http (Lambda RIE invoke URL)', async () => {
  const emulator = await rie();
  return {
    runner: new HttpRunner({ url: emulator.invokeUrl, headers: {}, functionName: 'function' }),
    traits: {
      ...REMOTE,
      callerAbort: { kind: 'timeout', errorType: 'Aborted' },
      broken: { create: () => new HttpRunner({ url: 'not a url', headers: {}, functionName: 'function' }), errorType: 'InvalidEndpoint' },
    },
    dispose: () => emulator.stop(),
    idle: () => idle(emulator),
  };
});

describeFunctionRunnerContract('lambda (Invoke through @aws-sdk/client-lambda, Lambda RIE endpoint)', async () => {
  const emulator = await rie();
  return {
    // The RIE serves only the function named `function`.
    runner: new LambdaRunner({ functionName: 'function', qualifier: null, region: 'us-east-1', endpoint: emulator.endpoint }),
    traits: {
      ...REMOTE,
      // lambda-runner.ts: an aborted Invoke is `throttled` — nothing ran to completion, and it must not use a retry.
      callerAbort: { kind: 'throttled', errorType: 'InvokeAborted' },
      broken: { undetectable: 'prepare() sends nothing (a DryRun Invoke needs lambda:InvokeFunction and the RIE does not serve it); a missing function shows on the first invocation' },
    },
    dispose: () => emulator.stop(),
    idle: () => idle(emulator),
  };
});
