/** Builds the runner a pipeline's `function` config asks for. */
import type { FunctionConfig } from '../config/types.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { HttpRunner } from './http-runner.js';
import { LambdaRunner } from './lambda-runner.js';
import { InProcessRunner } from './in-process-runner.js';
import { ModuleRunner } from './module-runner.js';
import type { FunctionRunner, LambdaHandler } from './types.js';

export interface RunnerContext {
  readonly region: string;
  readonly now: () => number;
  /** Receives the `module` runner's REPORT lines and sandbox incidents; none are logged without it. */
  readonly logger?: Logger | undefined;
  /** The `module` runner observes `initDuration` on cold starts. */
  readonly metrics?: Metrics | undefined;
  /** The `pipeline` metric label (default: the function name). */
  readonly pipeline?: string | undefined;
}

export function createRunner(config: FunctionConfig, context: RunnerContext): FunctionRunner {
  switch (config.type) {
    case 'module':
      // Worker-thread sandboxes with Lambda's execution environment lifecycle (DESIGN §3.3).
      return new ModuleRunner({
        functionName: config.functionName,
        handlerFile: config.handlerFile,
        handlerExport: config.handlerExport,
        memorySizeMb: config.memorySizeMb,
        environment: config.environment,
        awsCredentials: config.awsCredentials,
        provisionedConcurrency: config.provisionedConcurrency,
        region: context.region,
        now: context.now,
        logger: context.logger,
        metrics: context.metrics,
        pipeline: context.pipeline,
      });
    case 'in-process':
      // A library user's function stays in this process (it may close over the caller's state).
      return new InProcessRunner({
        functionName: config.functionName,
        memorySizeMb: config.memorySizeMb,
        region: context.region,
        now: context.now,
        load: async () => config.handler as LambdaHandler,
      });
    case 'http':
      return new HttpRunner({ url: config.url, headers: config.headers, functionName: config.functionName, now: context.now });
    case 'lambda':
      return new LambdaRunner({
        functionName: config.functionName,
        qualifier: config.qualifier,
        region: config.region,
        fallbackRegion: context.region,
        endpoint: config.endpoint,
        now: context.now,
      });
  }
}
