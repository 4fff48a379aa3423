/**
 * Lambda treats a handler's `.js` file as CommonJS unless a package.json *in the deployment package* says
 * `"type": "module"`; Node (and so the module runner) looks for the nearest package.json in any parent folder. Code
 * imported from a folder without its own package.json, inside a project whose package.json says `"type": "module"`,
 * would therefore load differently here than on Lambda; the import says so.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html#nodejs-commonjs-es-modules
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

function nearestPackageJson(from: string, stopAt: string | null): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dir === stopAt || dirname(dir) === dir) return null;
  }
}

/**
 * When `handlerFile` (absolute, without extension) is a `.js` file that Lambda would load as CommonJS but Node would
 * load as an ES module, the package.json responsible; otherwise null.
 */
export function esmPackageAbove(packageRoot: string, handlerFile: string): string | null {
  if (!existsSync(`${handlerFile}.js`) || relative(packageRoot, handlerFile).startsWith('..')) return null;
  if (nearestPackageJson(dirname(handlerFile), packageRoot) !== null) return null;
  const above = nearestPackageJson(dirname(packageRoot), null);
  if (above === null) return null;
  try {
    return (JSON.parse(readFileSync(above, 'utf8')) as { type?: unknown }).type === 'module' ? above : null;
  } catch {
    return null;
  }
}
