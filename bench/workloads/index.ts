/** Every workload, in table order. Adding one: a file in this folder and a line here (see bench/README.md). */
import type { Workload } from '../lib/types.ts';
import { workload as kafkaAwsDefaults } from './kafka-aws-defaults.ts';
import { workload as kafkaDrain } from './kafka-drain.ts';
import { workload as kafkaRss } from './kafka-rss.ts';
import { workload as kinesis } from './kinesis-drain.ts';
import { workload as laneScale } from './lane-scale.ts';
import { workload as moduleInvoke } from './module-invoke.ts';
import { asyncInvoke } from './async-invoke.ts';
import { kinesisEfo } from './slots.ts';
import { workload as sqsDrain } from './sqs-drain.ts';

export const WORKLOADS: readonly Workload[] = [kafkaDrain, kafkaAwsDefaults, sqsDrain, kinesis, moduleInvoke, kafkaRss, laneScale, asyncInvoke, kinesisEfo];
