/**
 * Lambda's handler setting, as the Node.js runtime interface client parses it: the folder is everything up to the
 * last `/`; the basename splits at its FIRST dot into the module name and a property path followed through the
 * module's exports (`^([^.]*)\.(.*)$`, aws-lambda-nodejs-runtime-interface-client `parseHandlerString`). So
 * `./handlers/orders.handler` is `handler` of `./handlers/orders`, `index.handlers.process` is
 * `exports.handlers.process` of `index`, and `orders.v2.handler` is `v2.handler` of `orders` — never a file
 * `orders.v2`. https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 */

export interface HandlerParts {
  /** The folder and module name as written (no extension resolution: the runner tries Lambda's extensions). */
  readonly file: string;
  /** The property path after the first dot of the basename, e.g. `handler` or `handlers.process`. */
  readonly exportName: string;
}

/** Each segment of the property path: a JavaScript identifier (what `exports.<name>` can be written as). */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Split a handler string; null when the basename has no `module.property[.property…]` form. */
export function splitHandler(handler: string): HandlerParts | null {
  const slash = handler.lastIndexOf('/');
  const basename = handler.slice(slash + 1);
  const dot = basename.indexOf('.');
  // At least one character of module name before the dot.
  if (dot <= 0) return null;
  const exportName = basename.slice(dot + 1);
  if (!exportName.split('.').every((segment) => IDENTIFIER.test(segment))) return null;
  return { file: handler.slice(0, slash + 1 + dot), exportName };
}

/**
 * The `_HANDLER` value of a resolved handler, relative to its folder (Lambda's task root): `orders.handler`.
 * @param moduleName the basename of the handler file without extension.
 */
export function handlerSetting(moduleName: string, exportName: string): string {
  return `${moduleName}.${exportName}`;
}
