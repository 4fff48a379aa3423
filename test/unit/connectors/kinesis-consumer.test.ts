// Resolving a source's enhanced fan-out consumer (connectors/kinesis/consumer.ts) against a scripted consumer API:
// by ARN, by name (registered when missing, or by a concurrent registrar), waiting for ACTIVE. Pure logic; the real
// Register/DescribeStreamConsumer run against kinesis-local in test/integration/kinesis-fanout.test.ts.
import { describe, expect, it } from 'vitest';
import { activeConsumer, type ConsumerApi } from '../../../connectors/kinesis/consumer.js';
import type { ConsumerRef, StreamConsumer } from '../../../connectors/kinesis/fanout-api.js';
import { TributaryError } from '../../../src/errors.js';

const STREAM = 'arn:aws:kinesis:us-east-1:123456789012:stream/s';
const ARN = `${STREAM}/consumer/c:1700000000`;
const signal = new AbortController().signal;
const consumer = (status: string, streamArn = STREAM): StreamConsumer => ({ consumerArn: ARN, consumerName: 'c', status, streamArn });

function api(describes: (StreamConsumer | null)[], register: () => Promise<StreamConsumer> = () => Promise.resolve(consumer('CREATING'))) {
  const calls: string[] = [];
  const scripted: ConsumerApi = {
    describeConsumer: (ref: ConsumerRef) => {
      calls.push('consumerArn' in ref ? `describe ${ref.consumerArn}` : `describe ${ref.consumerName}`);
      return Promise.resolve(describes.shift() ?? null);
    },
    registerConsumer: (_stream, name) => {
      calls.push(`register ${name}`);
      return register();
    },
  };
  return { scripted, calls };
}

describe('activeConsumer', () => {
  it('uses an ACTIVE consumer given by ARN', async () => {
    const { scripted, calls } = api([consumer('ACTIVE')]);
    expect((await activeConsumer(scripted, { consumerArn: ARN }, STREAM, { signal })).consumerArn).toBe(ARN);
    expect(calls).toEqual([`describe ${ARN}`]);
  });

  it('registers a consumer name the stream does not have yet and waits until it is ACTIVE', async () => {
    const { scripted, calls } = api([null, consumer('CREATING'), consumer('ACTIVE')]);
    const active = await activeConsumer(scripted, { consumerName: 'c' }, STREAM, { signal, pollMs: 0 });
    expect(active.status).toBe('ACTIVE');
    expect(calls).toEqual(['describe c', 'register c', `describe ${ARN}`, `describe ${ARN}`]);
  });

  it('uses the consumer another instance registered in between', async () => {
    const inUse = new TributaryError('SOURCE_THROTTLED', 'in use', { cause: Object.assign(new Error('exists'), { name: 'ResourceInUseException' }) });
    const { scripted, calls } = api([null, consumer('ACTIVE')], () => Promise.reject(inUse));
    expect((await activeConsumer(scripted, { consumerName: 'c' }, STREAM, { signal })).status).toBe('ACTIVE');
    expect(calls).toEqual(['describe c', 'register c', 'describe c']);
  });

  it('refuses a consumer ARN that does not exist, or belongs to another stream', async () => {
    await expect(activeConsumer(api([null]).scripted, { consumerArn: ARN }, STREAM, { signal })).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    await expect(activeConsumer(api([consumer('ACTIVE', `${STREAM}-other`)]).scripted, { consumerArn: ARN }, STREAM, { signal })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('gives up for now (retryable) on a consumer being deleted or CREATING past the timeout', async () => {
    await expect(activeConsumer(api([consumer('DELETING')]).scripted, { consumerArn: ARN }, STREAM, { signal })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE', retryable: true });
    let clock = 0;
    const slow = api([consumer('CREATING'), consumer('CREATING'), consumer('CREATING')]).scripted;
    const waiting = activeConsumer(slow, { consumerArn: ARN }, STREAM, { signal, pollMs: 0, timeoutMs: 10, now: () => (clock += 6) });
    await expect(waiting).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE', message: expect.stringContaining('still CREATING') });
  });
});
