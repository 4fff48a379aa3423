/** Every source the campaign drives, and the services each one needs. */
import type { SourceDriver, SourceName } from '../driver.ts';
import type { ChaosServiceName } from '../services.ts';
import { dynamoDbStreamsDriver } from './dynamodb-streams.ts';
import { kafkaDriver } from './kafka.ts';
import { kinesisDriver } from './kinesis.ts';
import { sqsDriver } from './sqs.ts';

export const SOURCES: readonly SourceName[] = ['sqs', 'sqs-fifo', 'kinesis', 'dynamodb-streams', 'kafka'];

export const SERVICES_OF: Readonly<Record<SourceName, readonly ChaosServiceName[]>> = {
  sqs: ['sqs'],
  'sqs-fifo': ['sqs'],
  kinesis: ['kinesis', 'dynamodb'],
  'dynamodb-streams': ['dynamodb'],
  kafka: ['kafka'],
};

export interface DriverOptions {
  /** Stream sources start at LATEST (and the campaign opens with a crash before the first checkpoint). */
  readonly streamsAtLatest: boolean;
}

export function createDriver(name: SourceName, options: DriverOptions): SourceDriver {
  switch (name) {
    case 'sqs':
      return sqsDriver(false);
    case 'sqs-fifo':
      return sqsDriver(true);
    case 'kinesis':
      return kinesisDriver({ latest: options.streamsAtLatest });
    case 'dynamodb-streams':
      return dynamoDbStreamsDriver({ latest: options.streamsAtLatest });
    case 'kafka':
      return kafkaDriver();
  }
}
