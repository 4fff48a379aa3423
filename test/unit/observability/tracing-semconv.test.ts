import {
  ATTR_AWS_KINESIS_STREAM_NAME,
  ATTR_AWS_LAMBDA_RESOURCE_MAPPING_ID,
  ATTR_CLOUD_PROVIDER,
  ATTR_CLOUD_REGION,
  ATTR_CLOUD_RESOURCE_ID,
  ATTR_FAAS_COLDSTART,
  ATTR_FAAS_INVOCATION_ID,
  ATTR_FAAS_NAME,
  ATTR_FAAS_TRIGGER,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_MESSAGING_SYSTEM_NAME,
  FAAS_TRIGGER_VALUE_DATASOURCE,
  FAAS_TRIGGER_VALUE_PUBSUB,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_OPERATION_TYPE_VALUE_RECEIVE,
  MESSAGING_OPERATION_TYPE_VALUE_SETTLE,
  MESSAGING_SYSTEM_NAME_VALUE_AWS_SQS,
  MESSAGING_SYSTEM_VALUE_AWS_SQS,
  MESSAGING_SYSTEM_VALUE_KAFKA,
} from '@opentelemetry/semantic-conventions/incubating';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../src/connector/types.js';
import { ATTR, destinationFromArn, destinationOf, invocationAttributes, laneAttributes, pipelineAttributes, settleOperation, spanName } from '../../../src/observability/tracing/semconv.js';
import type { PipelineFacts } from '../../../src/observability/tracing/types.js';
import { pipelineFacts, tracedRecord } from '../../support/tracing-facts.ts';

const facts = pipelineFacts;
const record = (id: string, eventRecord: Record<string, unknown> = {}): SourceRecord => tracedRecord(id, eventRecord);

describe('semconv names', () => {
  it('are the registry names @opentelemetry/semantic-conventions 1.45 ships', () => {
    expect({
      messagingSystem: ATTR.messagingSystem,
      destinationName: ATTR.destinationName,
      partitionId: ATTR.partitionId,
      operationType: ATTR.operationType,
      operationName: ATTR.operationName,
      batchMessageCount: ATTR.batchMessageCount,
      messageId: ATTR.messageId,
      consumerGroupName: ATTR.consumerGroupName,
      faasTrigger: ATTR.faasTrigger,
      faasName: ATTR.faasName,
      faasColdstart: ATTR.faasColdstart,
      cloudProvider: ATTR.cloudProvider,
      cloudRegion: ATTR.cloudRegion,
      cloudResourceId: ATTR.cloudResourceId,
      resourceMappingId: ATTR.resourceMappingId,
      kinesisStreamName: ATTR.kinesisStreamName,
      errorType: ATTR.errorType,
      faasInvocationId: ATTR.faasInvocationId,
      messagingSystemName: ATTR.messagingSystemName,
    }).toEqual({
      messagingSystem: ATTR_MESSAGING_SYSTEM,
      destinationName: ATTR_MESSAGING_DESTINATION_NAME,
      partitionId: ATTR_MESSAGING_DESTINATION_PARTITION_ID,
      operationType: ATTR_MESSAGING_OPERATION_TYPE,
      operationName: ATTR_MESSAGING_OPERATION_NAME,
      batchMessageCount: ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
      messageId: ATTR_MESSAGING_MESSAGE_ID,
      consumerGroupName: ATTR_MESSAGING_CONSUMER_GROUP_NAME,
      faasTrigger: ATTR_FAAS_TRIGGER,
      faasName: ATTR_FAAS_NAME,
      faasColdstart: ATTR_FAAS_COLDSTART,
      cloudProvider: ATTR_CLOUD_PROVIDER,
      cloudRegion: ATTR_CLOUD_REGION,
      cloudResourceId: ATTR_CLOUD_RESOURCE_ID,
      resourceMappingId: ATTR_AWS_LAMBDA_RESOURCE_MAPPING_ID,
      kinesisStreamName: ATTR_AWS_KINESIS_STREAM_NAME,
      errorType: ATTR_ERROR_TYPE,
      faasInvocationId: ATTR_FAAS_INVOCATION_ID,
      messagingSystemName: ATTR_MESSAGING_SYSTEM_NAME,
    });
  });

  it('the renamed attributes keep their older names too (still what backends and the Lambda instrumentations query)', () => {
    expect(ATTR.faasInvocationIdLegacy).toBe('faas.invocation_id');
    expect(invocationAttributes(facts(), [], 'req-1')).toMatchObject({ 'faas.invocation_id': 'req-1', [ATTR_FAAS_INVOCATION_ID]: 'req-1' });
    expect(pipelineAttributes(facts())).toMatchObject({ [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_AWS_SQS, [ATTR_MESSAGING_SYSTEM_NAME]: MESSAGING_SYSTEM_NAME_VALUE_AWS_SQS });
  });

  it('values: the registry systems, triggers and operation types', () => {
    expect(pipelineAttributes(facts())[ATTR.messagingSystem]).toBe(MESSAGING_SYSTEM_VALUE_AWS_SQS);
    expect(pipelineAttributes(facts({ sourceType: 'kafka', sourceKind: 'group', consumerGroup: 'g' }))).toMatchObject({ [ATTR.messagingSystem]: MESSAGING_SYSTEM_VALUE_KAFKA, [ATTR.consumerGroupName]: 'g' });
    expect(invocationAttributes(facts(), [record('a')], 'r')[ATTR.faasTrigger]).toBe(FAAS_TRIGGER_VALUE_PUBSUB);
    expect(invocationAttributes(facts({ sourceType: 'dynamodb-streams', sourceKind: 'stream' }), [], 'r')[ATTR.faasTrigger]).toBe(FAAS_TRIGGER_VALUE_DATASOURCE);
    expect(invocationAttributes(facts(), [], 'r')[ATTR.operationType]).toBe(MESSAGING_OPERATION_TYPE_VALUE_PROCESS);
    expect(['receive', 'settle']).toEqual([MESSAGING_OPERATION_TYPE_VALUE_RECEIVE, MESSAGING_OPERATION_TYPE_VALUE_SETTLE]);
  });
});

describe('destinations and spans', () => {
  it('the destination is the queue, the stream, the table of a DynamoDB stream; a Kafka record names its topic', () => {
    expect(destinationFromArn('arn:aws:sqs:eu-west-1:123456789012:orders.fifo')).toBe('orders.fifo');
    expect(destinationFromArn('arn:aws:kinesis:eu-west-1:123456789012:stream/clicks')).toBe('clicks');
    expect(destinationFromArn('arn:aws:dynamodb:eu-west-1:123456789012:table/users/stream/2026-01-01T00:00:00.000')).toBe('users');
    expect(destinationFromArn('not-an-arn')).toBe('not-an-arn');
    const kafka = facts({ sourceType: 'kafka', sourceKind: 'group', sourceArn: '' });
    expect(destinationOf(kafka, 'pay-ments-3', [record('x', { topic: 'pay-ments' })])).toBe('pay-ments');
    expect(destinationOf(kafka, 'pay-ments-3', [])).toBe('pay-ments');
    expect(laneAttributes(kafka, 'pay-ments-3', [])).toMatchObject({ [ATTR.partitionId]: '3' });
    expect(laneAttributes(facts({ sourceType: 'kinesis', sourceKind: 'stream' }), 'shardId-000000000001', [])).toMatchObject({ [ATTR.partitionId]: 'shardId-000000000001' });
    expect(laneAttributes(facts(), 'poller-1', [])[ATTR.partitionId]).toBeUndefined();
  });

  it('span names are `{operation} {destination}`; settles are delete / checkpoint / commit', () => {
    expect(spanName('process', 'orders')).toBe('process orders');
    expect(spanName('receive', '')).toBe('receive');
    expect(['queue', 'stream', 'group'].map((k) => settleOperation(k as PipelineFacts['sourceKind']))).toEqual(['delete', 'checkpoint', 'commit']);
  });

  it('the invocation names its message only when it carries one, and no region when the source is not in AWS', () => {
    expect(invocationAttributes(facts(), [record('a')], 'r')[ATTR.messageId]).toBe('a');
    expect(invocationAttributes(facts(), [record('a'), record('b')], 'r')[ATTR.messageId]).toBeUndefined();
    expect(pipelineAttributes(facts({ region: null }))[ATTR.cloudRegion]).toBeUndefined();
  });
});
