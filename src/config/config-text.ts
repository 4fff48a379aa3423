/**
 * The checks a configuration's bytes and text pass before YAML parsing (issue 19): the size limit, UTF-8,
 * and YAML's printable character set, each refused at the position of the offending byte, so a binary file
 * or a pasted control character gets a clear message instead of parser noise. Pure.
 */
import { isUtf8 } from 'node:buffer';
import type { ConfigIssue } from '../errors.js';
import { formatCount, type ConfigLimits } from './limits.js';

/** Decoded text, or the one issue that stops reading. */
export type TextResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly issue: ConfigIssue };

/**
 * Characters YAML 1.2 does not allow in a stream (outside c-printable, §5.1): C0 controls but tab, LF and CR;
 * DEL; C1 controls but NEL; surrogates; U+FFFE and U+FFFF. JSON forbids the raw controls in strings as well.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_PRINTABLE = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** 1-based line and column (UTF-16 units, as the YAML parser counts) of `offset` in `text`. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function sizeMessage(size: number | null, limits: ConfigLimits): string {
  const limit = `${formatCount(limits.maxFileBytes)} bytes (${limits.maxFileBytes / 1_048_576} MiB)`;
  return size === null ? `the file holds more than ${limit}, the limit of a configuration file` : `the file is ${formatCount(size)} bytes; a configuration file holds at most ${limit}`;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (the bytes are known invalid). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length || !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return i;
}

/**
 * Bytes read from a file → text. `size` is the file's size when known (null for a device or pipe);
 * `truncated` says that more than `limits.maxFileBytes` bytes were there.
 */
export function decodeConfigBytes(bytes: Uint8Array, file: string, limits: ConfigLimits, size: number | null, truncated: boolean): TextResult {
  const at = (line: number, column: number, message: string): TextResult => ({ ok: false, issue: { file, line, column, path: '', message } });
  if (truncated) return at(1, 1, sizeMessage(size, limits));
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return at(1, 1, 'the file is UTF-16 text; save it as UTF-8 (YAML and JSON configuration files are UTF-8)');
  }
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes);
    const before = new TextDecoder().decode(bytes.subarray(0, offset));
    const { line, column } = positionAt(before, before.length);
    const byte = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    return at(line, column, `not a UTF-8 text file (byte 0x${byte} is not valid UTF-8; a configuration file is YAML or JSON text)`);
  }
  return checkConfigText(new TextDecoder().decode(bytes), file, limits);
}

/** Text (from a file or `parseConfigText`) → the same text, or the issue of its first unprintable character. */
export function checkConfigText(text: string, file: string, limits: ConfigLimits): TextResult {
  // A UTF-8 character is at most 3 bytes per UTF-16 unit, so only a long text needs measuring.
  if (text.length * 3 > limits.maxFileBytes && Buffer.byteLength(text, 'utf8') > limits.maxFileBytes) {
    return { ok: false, issue: { file, line: 1, column: 1, path: '', message: sizeMessage(Buffer.byteLength(text, 'utf8'), limits) } };
  }
  const found = NOT_PRINTABLE.exec(text);
  if (found === null) return { ok: true, text };
  const char = found[0];
  const code = `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  const message =
    char === '\0'
      ? 'not a text file (NUL byte; a configuration file is YAML or JSON text)'
      : `character ${code} is not allowed in YAML (only tab, line feed and carriage return among control characters; write it as an escape in a double-quoted string)`;
  return { ok: false, issue: { file, ...positionAt(text, found.index), path: '', message } };
}
