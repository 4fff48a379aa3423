/**
 * The event source mapping UUID of a pipeline (Lambda's `UUID`). A pipeline may set `uuid:`; otherwise it is a
 * name-based UUID version 5 (RFC 9562 §5.5: SHA-1 of a namespace and a name) of the pipeline name in the fixed
 * namespace {@link PIPELINE_UUID_NAMESPACE}, so it is the same on every restart and every replica, and anyone can
 * recompute it, e.g. in Python: `uuid.uuid5(uuid.UUID('2f0c3c4e-8a47-4a4b-9a39-0b7c1d5e6f10'), 'orders')`.
 * https://www.rfc-editor.org/rfc/rfc9562#section-5.5
 */
import { createHash } from 'node:crypto';

/** The namespace of derived pipeline UUIDs (chosen once for Tributary; never change it: UUIDs would change). */
export const PIPELINE_UUID_NAMESPACE = '2f0c3c4e-8a47-4a4b-9a39-0b7c1d5e6f10';

/** Lambda's UUIDs are the canonical 8-4-4-4-12 hex form. */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The UUID a pipeline named `name` gets when it sets none. */
export function pipelineUuid(name: string): string {
  const namespace = Buffer.from(PIPELINE_UUID_NAMESPACE.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  // Version 5 in the high nibble of byte 6, the RFC variant (0b10) in the two high bits of byte 8.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
