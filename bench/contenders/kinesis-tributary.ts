/** Tributary on a Kinesis stream: a pipeline from TRIM_HORIZON, file checkpoints in a fresh folder, a counting handler. */
import { kinesisParams } from '../lib/kinesis-params.ts';
import { DrainProbe, drainMeasurement } from '../lib/probe.ts';
import { countingHandler, drainWithTributary, recordsEventSize } from '../lib/tributary.ts';
import type { Measurement, Params } from '../lib/types.ts';

export async function run(raw: Params): Promise<Measurement> {
  const p = kinesisParams(raw);
  const probe = new DrainProbe(p.expected);
  const pipeline = {
    source: { type: 'kinesis', streamName: p.stream, endpoint: p.endpoint, region: 'us-east-1' },
    function: { type: 'in-process', handler: countingHandler(recordsEventSize, (n) => probe.seen(n), () => p.delayMsPerInvoke), timeout: 30 },
    startingPosition: 'TRIM_HORIZON',
    batchSize: p.batchSize,
    parallelizationFactor: p.parallelizationFactor,
  };
  await drainWithTributary(pipeline, probe, p.timeoutMs);
  return drainMeasurement(probe, null);
}
