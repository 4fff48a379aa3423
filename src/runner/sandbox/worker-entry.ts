/**
 * The first module a sandbox (worker thread) runs. It only imports `node:` built-ins, so plain Node can load it
 * in both layouts the service runs from:
 *
 * - built: `dist/src/runner/sandbox/worker-entry.js` → imports `./worker-main.js`; nothing else to do.
 * - sources (vitest, `node file.ts` scripts): Node ≥ 22.18 strips the types of `.ts` files, but the sources
 *   import each other with `.js` specifiers (NodeNext style), which plain Node does not map to `.ts`. This file
 *   then registers a synchronous resolve hook (`module.registerHooks`, in this thread only) that maps a relative
 *   `./x.js` imported from a `.ts` file to `./x.ts` when only the `.ts` exists, before importing the worker main.
 *
 * The hook applies only to modules under Tributary's own `src/` folder, never to the handler's modules (which may be
 * `.ts` files themselves), so handler resolution is exactly Node's, as in Lambda. https://nodejs.org/api/module.html#registerhooksoptions
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fromSources = import.meta.url.endsWith('.ts');
/** Tributary's own `src/` folder: a handler's `.ts` files elsewhere resolve exactly as Node resolves them. */
const sourceRoot = new URL('../../', import.meta.url).href;

if (fromSources) {
  // Imported lazily: `registerHooks` exists from Node 22.15 on, and the built service must not need it.
  const { registerHooks } = await import('node:module');
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      if (parent !== undefined && parent.startsWith(sourceRoot) && parent.endsWith('.ts') && /^\.\.?\/.*\.js$/.test(specifier)) {
        const asJs = new URL(specifier, parent);
        const asTs = new URL(specifier.replace(/\.js$/, '.ts'), parent);
        if (!existsSync(fileURLToPath(asJs)) && existsSync(fileURLToPath(asTs))) return nextResolve(asTs.href, context);
      }
      return nextResolve(specifier, context);
    },
  });
}

await import(new URL(fromSources ? './worker-main.ts' : './worker-main.js', import.meta.url).href);
