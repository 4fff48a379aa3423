/**
 * How configuration messages echo what the user wrote (issue 19): short, with invisible characters escaped,
 * URL passwords masked, and — for a field that may hold a secret — not at all.
 *
 * A message is built before it is known where it will be reported (zod error maps see no path), so every
 * echo of an input value is wrapped in markers carrying both renderings; `finishMessage` keeps one of them
 * once the field's path is known. The markers are private-use characters that `render` escapes in user text,
 * so user text can never forge one.
 */
const OPEN = '\u{E000}';
const SEP = '\u{E001}';
const CLOSE = '\u{E002}';
const ECHO = /\u{E000}([^\u{E001}]*)\u{E001}([^\u{E002}]*)\u{E002}/gu;

/** Control, format (bidi overrides, zero-width), private-use, unassigned and line/paragraph separator characters. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/gu;
/** `scheme://user:password@` in a URL. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^/?#@:\s"']*):[^/?#@\s"']*@/gi;
const MAX_SHOWN = 80;

/** Text that echoes input: shown as `text` in an ordinary field, as `hidden` in a field that may hold a secret. */
export function echo(text: string, hidden: string): string {
  return `${OPEN}${hidden}${SEP}${safeText(text)}${CLOSE}`;
}

/** A short, safe rendering of a value for a message (hidden in secret fields). */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const masked = value.replace(URL_PASSWORD, '$1:***@');
    return echo(JSON.stringify(masked.length > MAX_SHOWN ? `${masked.slice(0, MAX_SHOWN - 3)}...` : masked), 'a hidden string');
  }
  if (typeof value === 'number' || typeof value === 'bigint') return echo(String(value), 'a hidden number');
  if (typeof value === 'boolean') return echo(String(value), 'a hidden boolean');
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/**
 * A message as reported: echoes kept, or replaced by their hidden form when the field may hold a secret.
 * A password inside a URL is masked anywhere in the message, also where a rule quoted a value itself.
 */
export function finishMessage(message: string, secret: boolean): string {
  return safeText(message.replace(ECHO, (_match, hidden: string, text: string) => (secret ? hidden : text)).replace(URL_PASSWORD, '$1:***@'));
}

/** `text` with invisible characters written as `\uXXXX`, so a message shows exactly what is in the file. */
export function safeText(text: string): string {
  return text.replace(INVISIBLE, (char) => {
    const code = char.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A key shortened for a field path (a key can be as long as the file). */
export function shortKey(key: string): string {
  return key.length > MAX_SHOWN ? `${key.slice(0, MAX_SHOWN - 3)}...` : key;
}
