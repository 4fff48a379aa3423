/**
 * Environment variables in the written file: `${NAME:-default}` lets one file run against AWS (the default) and
 * against emulators or another deployment (the variable), `${NAME}` marks what only the operator knows (secrets).
 * Names come from the template's logical ids in UPPER_SNAKE_CASE, without the 8-character hash CDK appends
 * (`MyQueueE6CA6235` → `MY_QUEUE`).
 */

/** CDK's logical ids end with 8 upper-case hex digits of a hash of the construct path. */
const CDK_HASH = /[0-9A-F]{8}$/;

/** `OrdersQueue` → `ORDERS_QUEUE`; `MyQueueE6CA6235` → `MY_QUEUE`; `order-events` → `ORDER_EVENTS`. */
export function envPrefix(id: string): string {
  const base = CDK_HASH.test(id) && id.length > 8 ? id.slice(0, -8) : id;
  const snake = base
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return snake === '' ? 'X' : /^[0-9]/.test(snake) ? `_${snake}` : snake;
}

/** The variable for a resource's field: `OrdersQueue` + QUEUE + ARN → `ORDERS_QUEUE_ARN`, `Dlq` → `DLQ_QUEUE_ARN`. */
export function envName(id: string, noun: string, field: string): string {
  const prefix = envPrefix(id);
  return prefix === noun || prefix.endsWith(`_${noun}`) ? `${prefix}_${field}` : `${prefix}_${noun}_${field}`;
}

/** `${NAME:-fallback}`, or `${NAME}` without a fallback. The fallback must not contain `}` (it ends the reference). */
export function interpolation(name: string, fallback: string | null): string {
  return fallback === null ? `\${${name}}` : `\${${name}:-${fallback}}`;
}

/** A template string as a literal of the pipelines file: `${` would be interpolated, `$${` is a literal `${`. */
export function literal(text: string): string {
  // A replacer function: in a replacement string `$$` would itself stand for one `$`.
  return text.replaceAll('${', () => '$${');
}
