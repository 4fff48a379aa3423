/**
 * Listen addresses (`server.host`): an IP literal or a host name, checked by `validate` so that `run` does not
 * fail later in `listen()` (issue 19). Pure.
 */
import { isIP } from 'node:net';

/** A DNS label: 1–63 letters, digits and hyphens, not starting or ending with a hyphen (RFC 1123 §2.1). */
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
/** At most 253 characters without the root dot (RFC 1035 §2.3.4: 255 octets on the wire). */
const MAX_NAME = 253;

/**
 * An IPv4 or IPv6 literal (as `net.isIP` accepts, zone ids included, without brackets) or a host name of
 * RFC 1123 labels, optionally ending with the root dot. A name whose last label is all digits is refused: it
 * would be a mistyped IPv4 address, never a top-level domain (RFC 3696 §2).
 */
export function isHostOrIp(value: string): boolean {
  if (isIP(value) !== 0) return true;
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name === '' || name.length > MAX_NAME) return false;
  const labels = name.split('.');
  return labels.every((label) => LABEL.test(label)) && !/^\d+$/.test(labels.at(-1) ?? '');
}
