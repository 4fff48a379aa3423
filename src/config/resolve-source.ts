/**
 * Resolve a validated `source:` into its `SourceConfig` with its type's resolver (connectors/<x>/config.ts, through
 * src/connector/source-descriptors.ts): nulls for what is absent, names and ARNs derived from each other where the
 * format allows it, region taken from the ARN (or an AWS queue URL) when not given, because the resource lives in
 * that region.
 */
import { sourceDescriptorOf } from '../connector/source-descriptors.js';
import type { SourceInput } from './schema/source.js';
import type { MappingSourceConfig } from './types.js';

/**
 * Resolve a validated `source:`; `pipelineName` derives the default Kafka consumer group; `baseDir` (the config
 * file's folder, default the working directory) anchors a relative Kafka `ssl.caCertificate`.
 */
export function resolveSource(source: SourceInput, pipelineName: string, baseDir: string = process.cwd()): MappingSourceConfig {
  return sourceDescriptorOf(source).resolve(source, { pipelineName, baseDir });
}
