/**
 * Warnings about handlers that run here but not on every Lambda runtime. AWS's nodejs24.x runtime (and later) refuses
 * callback-based handlers — a handler declared with three or more parameters fails its init with
 * `Runtime.CallbackHandlerDeprecated` ("AWS Lambda has removed support for callback-based function handlers starting
 * with Node.js 24", aws-lambda-nodejs-runtime-interface-client `errorOnDeprecatedCallback`). Tributary still runs
 * them with nodejs22.x's semantics, so it only warns. https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 */

/** The warning for a handler of `arity` declared parameters, or null when it is not callback-style. */
export function callbackStyleWarning(handler: string, arity: number): string | null {
  if (arity < 3) return null;
  return (
    `${handler} is a callback-style handler (it declares ${arity} parameters): AWS Lambda's nodejs24.x runtime no longer ` +
    'runs callback-based handlers (Runtime.CallbackHandlerDeprecated); Tributary runs it as nodejs22.x does. ' +
    'Make it an async function to keep it portable.'
  );
}
