/** The parameters every Kinesis contender takes, and the SDK client they use (HTTP/1.1: kinesis-local is plain HTTP). */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AWS_REGION, AWS_TEST_CREDENTIALS } from '../../test/services/endpoints.ts';
import { num, str } from './params.ts';
import type { Params } from './types.ts';

export interface KinesisRunParams {
  readonly endpoint: string;
  readonly stream: string;
  readonly expected: number;
  readonly batchSize: number;
  readonly parallelizationFactor: number;
  /** The handler's simulated work per invocation, in ms (0: a no-op). */
  readonly delayMsPerInvoke: number;
  readonly timeoutMs: number;
}

export function kinesisParams(params: Params): KinesisRunParams {
  return {
    endpoint: str(params, 'endpoint'),
    stream: str(params, 'stream'),
    expected: num(params, 'expected'),
    batchSize: num(params, 'batchSize'),
    parallelizationFactor: num(params, 'parallelizationFactor'),
    delayMsPerInvoke: num(params, 'delayMsPerInvoke'),
    timeoutMs: num(params, 'timeoutMs'),
  };
}

export function benchKinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({ region: AWS_REGION, endpoint, credentials: AWS_TEST_CREDENTIALS, requestHandler: new NodeHttpHandler() });
}
