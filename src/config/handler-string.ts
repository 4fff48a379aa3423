/**
 * Lambda's handler setting, `file.export`: the export name is after the LAST dot, the file
 * before it (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html), so
 * `./handlers/orders.handler` is export `handler` of `./handlers/orders` and
 * `./lib/orders.v2.handler` is export `handler` of `./lib/orders.v2`.
 */

export interface HandlerParts {
  /** The file part as written (no extension resolution: the runner tries .js, .mjs, .cjs). */
  readonly file: string;
  readonly exportName: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Split a handler string; null when the last path segment has no `name.export` form. */
export function splitHandler(handler: string): HandlerParts | null {
  const dot = handler.lastIndexOf('.');
  const slash = handler.lastIndexOf('/');
  // The dot must be inside the last path segment, after at least one character of file name.
  if (dot <= slash + 1) return null;
  const exportName = handler.slice(dot + 1);
  return IDENTIFIER.test(exportName) ? { file: handler.slice(0, dot), exportName } : null;
}
