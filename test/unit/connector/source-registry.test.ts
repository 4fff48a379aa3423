/**
 * The source registries are one list: every mapping source type has a light descriptor (src/connector/
 * source-descriptors.ts) and a lazy connector (src/connector/registry.ts), and the config schema knows exactly those
 * types. The only connector without a descriptor is the internal async-invocation queue, which no pipeline names.
 */
import { describe, expect, it } from 'vitest';
import { sourceSchema, SOURCE_TYPES } from '../../../src/config/schema/source.js';
import type { SourceConfig } from '../../../src/config/types.js';
import { CONNECTOR_TYPES, loadConnector } from '../../../src/connector/registry.js';
import { findSourceDescriptor, SOURCE_DESCRIPTORS, sourceDescriptorOf } from '../../../src/connector/source-descriptors.js';

/** Connectors Tributary feeds itself, never a pipeline's `source:` (issue 14). */
const INTERNAL_ONLY = ['async-queue'];

describe('source registries', () => {
  it('every descriptor has a lazy connector of the same type, and every non-internal connector a descriptor', async () => {
    expect([...CONNECTOR_TYPES].filter((type) => !INTERNAL_ONLY.includes(type)).sort()).toEqual([...SOURCE_TYPES].sort());
    for (const type of SOURCE_TYPES) {
      const connector = await loadConnector({ type } as SourceConfig);
      expect(connector.type).toBe(type);
    }
  });

  it('the source types are the descriptors\' types, each once, and the schema discriminates exactly them', () => {
    expect(SOURCE_TYPES).toEqual(SOURCE_DESCRIPTORS.map((descriptor) => descriptor.type));
    expect(new Set(SOURCE_TYPES).size).toBe(SOURCE_TYPES.length);
    expect([...sourceSchema.options.map((option) => option.shape.type.value)]).toEqual([...SOURCE_TYPES]);
    for (const type of SOURCE_TYPES) expect(sourceDescriptorOf({ type }).type).toBe(type);
  });

  it('names no descriptor for an unknown or internal type', () => {
    expect(findSourceDescriptor('rabbitmq')).toBeUndefined();
    expect(findSourceDescriptor('async-queue')).toBeUndefined();
    expect(findSourceDescriptor(42)).toBeUndefined();
    expect(() => sourceDescriptorOf({ type: 'async-queue' } as never)).toThrow(/no source descriptor/);
  });
});
