/**
 * The eager registry of source descriptors (./source-descriptor.ts): one line per mapping source type, in the order
 * the configuration's discriminated union and its messages list them. Light — zod schemas and pure functions — so
 * src/config imports it synchronously; the SDK-loading half of each source stays lazy in ./registry.ts, keyed by the
 * same types (test/unit/connector/source-registry.test.ts checks that the two agree). Adding a source adds one line
 * here and one in ./registry.ts.
 */
import { dynamoDbStreamsDescriptor } from '../../connectors/dynamodb-streams/descriptor.js';
import { kafkaDescriptor } from '../../connectors/kafka/descriptor.js';
import { kinesisDescriptor } from '../../connectors/kinesis/descriptor.js';
import { sqsDescriptor } from '../../connectors/sqs/descriptor.js';
import type { MappingSourceConfig, SourceConfig, SourceType } from '../config/types.js';
import { TributaryError } from '../errors.js';
import type { SourceDescriptor } from './source-descriptor.js';

/** Every mapping source type's descriptor, as a tuple (its precise schema types build the config's union). */
export const SOURCE_DESCRIPTORS = [sqsDescriptor, kinesisDescriptor, dynamoDbStreamsDescriptor, kafkaDescriptor] as const;

// Compile-time: the tuple covers every MappingSourceConfig type (the config types stay declared in config/types.ts).
const covers: [SourceType] extends [(typeof SOURCE_DESCRIPTORS)[number]['type']] ? true : never = true;
void covers;

/** The source types, as `source.type` in YAML, in the registry's order. */
export const SOURCE_TYPES: readonly SourceType[] = SOURCE_DESCRIPTORS.map((descriptor) => descriptor.type);

const BY_TYPE: ReadonlyMap<string, SourceDescriptor> = new Map(SOURCE_DESCRIPTORS.map((descriptor) => [descriptor.type, descriptor as SourceDescriptor]));

/** The descriptor of a source type, or undefined for a string that names none. */
export function findSourceDescriptor(type: unknown): SourceDescriptor | undefined {
  return typeof type === 'string' ? BY_TYPE.get(type) : undefined;
}

/** A pipeline's source (one with a descriptor), not an internal one (the async-invocation queue, issue 14). */
export function isMappingSource(source: SourceConfig): source is MappingSourceConfig {
  return BY_TYPE.has(source.type);
}

/** The descriptor whose `EventSourceArn` service is `service` (`arn:aws:<service>:…`), or undefined. */
export function sourceDescriptorOfArnService(service: string | undefined): SourceDescriptor | undefined {
  return SOURCE_DESCRIPTORS.find((descriptor) => descriptor.esm.arnService === service) as SourceDescriptor | undefined;
}

/**
 * The descriptor of `source`'s type, typed for that source: the one place a config is matched to its descriptor.
 * @throws TributaryError INTERNAL for a type no descriptor declares (the config's types and the registry disagree).
 */
export function sourceDescriptorOf<C extends MappingSourceConfig>(source: Pick<C, 'type'>): SourceDescriptor<C> {
  const descriptor = BY_TYPE.get(source.type);
  if (descriptor === undefined) throw new TributaryError('INTERNAL', `no source descriptor for type ${source.type}`);
  return descriptor as unknown as SourceDescriptor<C>;
}

/** `Kafka sources (Amazon MSK and self-managed Apache Kafka)`: the source types that have a trait, for messages. */
export function sourcesWith(has: (descriptor: SourceDescriptor) => boolean): { readonly labels: string; readonly awsLabels: string } {
  const matching = SOURCE_DESCRIPTORS.filter((descriptor) => has(descriptor as SourceDescriptor));
  return { labels: matching.map((d) => d.traits.label).join(' and '), awsLabels: matching.map((d) => d.traits.awsLabel).join('; ') };
}
