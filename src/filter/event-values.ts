/**
 * How the matcher sees the values of an event: leaves (strings, numbers, booleans, null), objects
 * and arrays. Events mix two origins — record metadata given as plain JS values, and payloads
 * parsed by `json-text.ts` (numbers as {@link JsonNumber}) — so both are accepted here.
 */
import { JsonNumber } from './json-text.js';

/** A value that leaf matchers compare: numbers always carry their string form. */
export type Leaf = string | boolean | null | JsonNumber;

/**
 * The string form of a JS number is `String(n)` (`300`, `0.1`, `1e+21`): record metadata arrives as
 * JS numbers, so their source text is gone and the canonical form is the best available.
 */
function leafOf(value: unknown): Leaf | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return new JsonNumber(String(value), value);
    case 'bigint':
      return new JsonNumber(value.toString(), Number(value));
    case 'object':
      if (value === null || value instanceof JsonNumber) return value;
      return undefined;
    default:
      return undefined; // undefined, functions, symbols: not JSON, treated as absent
  }
}

/** True for objects whose fields patterns can address (not arrays, not numbers, not null). */
export function isEventObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

/** An own field of an event object; `undefined` when absent (inherited members never count). */
export function fieldOf(value: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}

/**
 * Every leaf under `value`, looking through arrays (nested arrays too): EventBridge "matches if
 * the intersection of the event pattern array and the event array is non-empty"
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html).
 * Objects contribute no leaves: `exists` "only works on leaf nodes".
 */
export function collectLeaves(value: unknown, out: Leaf[] = []): Leaf[] {
  if (Array.isArray(value)) {
    for (const item of value as readonly unknown[]) collectLeaves(item, out);
    return out;
  }
  const leaf = leafOf(value);
  if (leaf !== undefined) out.push(leaf);
  return out;
}

/** The objects an object pattern applies to: the value itself, or the objects inside an array (flattened). */
export function collectObjects(value: unknown, out: Readonly<Record<string, unknown>>[] = []): Readonly<Record<string, unknown>>[] {
  if (Array.isArray(value)) {
    for (const item of value as readonly unknown[]) collectObjects(item, out);
  } else if (isEventObject(value)) {
    out.push(value);
  }
  return out;
}
