/** Builds the runner a pipeline's `function` config asks for. */
import { TributaryError } from '../errors.js';
import type { FunctionConfig } from '../config/types.js';
import { HttpRunner } from './http-runner.js';
import { InProcessRunner } from './in-process-runner.js';
import { loadHandler } from './resolve-handler.js';
import type { FunctionRunner, LambdaHandler } from './types.js';

export interface RunnerContext {
  readonly region: string;
  readonly now: () => number;
}

export function createRunner(config: FunctionConfig, context: RunnerContext): FunctionRunner {
  switch (config.type) {
    case 'module':
      return new InProcessRunner({
        functionName: config.functionName,
        memorySizeMb: config.memorySizeMb,
        region: context.region,
        now: context.now,
        load: () => loadHandler(config.handlerFile, config.handlerExport),
      });
    case 'in-process':
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
      throw new TributaryError('CONFIG_INVALID', `function type "${config.type}" is not available yet in this build`);
  }
}
