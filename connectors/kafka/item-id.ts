/** The Kafka connector's item-identifier rule (ConnectorDefinition.normalizeItemId). */
/**
 * Kafka partial-failure identifiers as handlers write them: the string `"<topic>-<partition>:<offset>"` (Tributary's
 * record id), or the object forms used by Lambda runtimes and Powertools — `{"partition": "<topic>-<partition>",
 * "offset": N}` and `{"topic-partition": "<topic>-<partition>", "offset": N}` (reference §3.5; AWS documents no
 * format).
 */
export function normalizeKafkaItemId(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const partition = record['partition'] ?? record['topic-partition'];
  const offset = record['offset'];
  if (typeof partition !== 'string' || partition === '') return null;
  if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) return `${partition}:${offset}`;
  if (typeof offset === 'string' && /^\d+$/.test(offset)) return `${partition}:${offset}`;
  return null;
}
