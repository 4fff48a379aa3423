/** A one-pipeline service on a stream source with file checkpoints and an in-process handler, for stream tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService, type TributaryService } from '../../../src/index.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { untypedPipeline } from '../../support/untyped-input.ts';

export interface StreamServiceOptions<E> {
  readonly name: string;
  readonly source: Record<string, unknown>;
  readonly handler: (event: E) => unknown;
  /** Extra pipeline fields (batchSize, parallelizationFactor, destinationConfig…). */
  readonly pipeline?: Record<string, unknown>;
  /** Folder for the checkpoints (default: a fresh temp dir). */
  readonly dir?: string;
}

export function streamService<E>(options: StreamServiceOptions<E>): TributaryService {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), `tributary-${options.name}-`));
  return createService(
    {
      server: { enabled: false },
      checkpoints: { type: 'file', path: join(dir, 'checkpoints') },
      shutdownTimeoutSeconds: 10,
      pipelines: [
        untypedPipeline({
          name: options.name,
          source: options.source,
          function: { type: 'in-process', handler: (event: unknown) => options.handler(event as E), timeout: 30 },
          startingPosition: 'TRIM_HORIZON',
          batchSize: 100,
          ...options.pipeline,
        }),
      ],
    },
    { logger: silentLogger(), leaseDurationMs: 1000 },
  );
}
