/**
 * A small JSON parser that keeps each number's source text.
 *
 * Why not `JSON.parse`: AWS matches numbers in filter patterns by their *string form* — "For numbers,
 * Lambda also uses string representation. For example, 300, 300.0, and 3.0e2 are not considered equal"
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax).
 * `JSON.parse` turns all three into the same `300`, so both patterns and payloads are parsed here,
 * with numbers kept as {@link JsonNumber} (source text + value).
 *
 * Grammar: RFC 8259, nothing more (no comments, no trailing commas, no BOM). Duplicate keys: the last
 * one wins, as Lambda documents for patterns ("Lambda uses only the last value for that key") and as
 * `JSON.parse` does. Objects have a null prototype, so a `"__proto__"` key is an ordinary field.
 */

/** A JSON number with the exact text it was written as (`3.0e2` stays `3.0e2`). */
export class JsonNumber {
  /** The number's source text, e.g. `300.0`. */
  readonly raw: string;
  /** Its IEEE-754 value, e.g. `300`. */
  readonly value: number;

  constructor(raw: string, value: number) {
    this.raw = raw;
    this.value = value;
  }
}

/** A parsed JSON value; numbers are {@link JsonNumber}, objects have a null prototype. */
export type JsonValue = null | boolean | string | JsonNumber | JsonArray | JsonObject;
/** A parsed JSON array. */
export type JsonArray = readonly JsonValue[];
/** A parsed JSON object (null prototype, own keys only). */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** Result of {@link parseJson}: the value, or where and why the text is not JSON. */
export type JsonParseResult =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly message: string; readonly offset: number };

/**
 * Deepest nesting accepted. Real payloads never come close; the cap keeps a hostile
 * `[[[[…]]]]` payload from exhausting the stack. 1000 is Jackson's default `maxNestingDepth`
 * (a guess at what AWS's Java pollers accept — AWS does not document a limit).
 */
export const JSON_MAX_DEPTH = 1000;

/** Narrows a parsed value to a JSON object. */
export function isJsonObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

class JsonSyntaxError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Parses `text` as one JSON value; never throws. */
export function parseJson(text: string, maxDepth: number = JSON_MAX_DEPTH): JsonParseResult {
  let pos = 0;

  const describe = (at: number): string => {
    const ch = text[at];
    return ch === undefined ? 'unexpected end of input' : `unexpected character ${JSON.stringify(ch)} at position ${at}`;
  };
  const fail = (message: string, at: number = pos): never => {
    throw new JsonSyntaxError(message, at);
  };
  const skipWhitespace = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
      else return;
    }
  };
  const expect = (literal: string): void => {
    if (!text.startsWith(literal, pos)) fail(describe(pos));
    pos += literal.length;
  };

  const parseString = (): string => {
    pos++; // opening quote
    let out = '';
    let start = pos;
    for (;;) {
      if (pos >= text.length) fail('unterminated string', start - 1);
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(start, pos);
        pos++;
        return out;
      }
      if (c === 0x5c) {
        out += text.slice(start, pos);
        const esc = text[pos + 1];
        if (esc === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!HEX4.test(hex)) fail(`invalid \\u escape at position ${pos}`, pos);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          pos += 6;
        } else {
          const decoded = esc === undefined ? undefined : ESCAPES[esc];
          if (decoded === undefined) fail(`invalid escape at position ${pos}`, pos);
          out += decoded;
          pos += 2;
        }
        start = pos;
      } else if (c < 0x20) {
        fail(`control character in string at position ${pos}`);
      } else {
        pos++;
      }
    }
  };

  const parseNumber = (): JsonNumber => {
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (match === null) return fail(describe(pos));
    const raw = match[0];
    pos += raw.length;
    return new JsonNumber(raw, Number(raw));
  };

  const parseValue = (depth: number): JsonValue => {
    skipWhitespace();
    const c = text[pos];
    switch (c) {
      case '{':
        return parseObject(depth + 1);
      case '[':
        return parseArray(depth + 1);
      case '"':
        return parseString();
      case 't':
        expect('true');
        return true;
      case 'f':
        expect('false');
        return false;
      case 'n':
        expect('null');
        return null;
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
        return fail(describe(pos));
    }
  };

  const parseArray = (depth: number): JsonArray => {
    if (depth > maxDepth) fail(`nested deeper than ${maxDepth} levels`);
    pos++; // [
    const items: JsonValue[] = [];
    skipWhitespace();
    if (text[pos] === ']') {
      pos++;
      return items;
    }
    for (;;) {
      items.push(parseValue(depth));
      skipWhitespace();
      const c = text[pos];
      pos++;
      if (c === ']') return items;
      if (c !== ',') fail(describe(pos - 1), pos - 1);
    }
  };

  const parseObject = (depth: number): JsonObject => {
    if (depth > maxDepth) fail(`nested deeper than ${maxDepth} levels`);
    pos++; // {
    // Null prototype: `__proto__`, `constructor`, … are plain keys, never inherited members.
    const out = Object.create(null) as Record<string, JsonValue>;
    skipWhitespace();
    if (text[pos] === '}') {
      pos++;
      return out;
    }
    for (;;) {
      skipWhitespace();
      if (text[pos] !== '"') fail(`expected a quoted key, ${describe(pos)}`);
      const key = parseString();
      skipWhitespace();
      if (text[pos] !== ':') fail(`expected ":", ${describe(pos)}`);
      pos++;
      out[key] = parseValue(depth); // duplicate keys: last wins
      skipWhitespace();
      const c = text[pos];
      pos++;
      if (c === '}') return out;
      if (c !== ',') fail(describe(pos - 1), pos - 1);
    }
  };

  try {
    const value = parseValue(0);
    skipWhitespace();
    if (pos < text.length) fail(describe(pos));
    return { ok: true, value };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, message: error.message, offset: error.offset };
    throw error;
  }
}
