/**
 * What an export is, read from the module's syntax tree (acorn) without running it: a function (with its declared
 * parameter count, `Function.length`), something that certainly is not a function (a literal, an object, an array,
 * a class is reported as a function as `typeof` would), or unknown (a call such as `middy(handler)`, an import, a
 * computed value). Follows the property path through object literals and one level of local bindings.
 */
import type { Node } from 'acorn';

export type ExportShape =
  | { readonly kind: 'function'; readonly arity: number }
  | { readonly kind: 'not-a-function'; readonly what: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unknown' };

type AnyNode = Node & Record<string, unknown>;

const asNode = (value: unknown): AnyNode | null => (typeof value === 'object' && value !== null && 'type' in value ? (value as AnyNode) : null);
const children = (value: unknown): AnyNode[] => (Array.isArray(value) ? value.map(asNode).filter((node): node is AnyNode => node !== null) : []);

/** `Function.length`: the parameters before the first one with a default or a rest parameter. */
function arity(fn: AnyNode): number {
  let count = 0;
  for (const param of children(fn['params'])) {
    if (param.type === 'AssignmentPattern' || param.type === 'RestElement') break;
    count += 1;
  }
  return count;
}

function propertyName(property: AnyNode): string | null {
  const key = asNode(property['key']);
  if (key === null || property['computed'] === true) return null;
  if (key.type === 'Identifier') return String(key['name']);
  if (key.type === 'Literal') return String(key['value']);
  return null;
}

/** The top-level `function x` / `const x = …` / `class x` declarations of a program. */
function localBindings(program: AnyNode): Map<string, AnyNode> {
  const bindings = new Map<string, AnyNode>();
  for (const statement of children(program['body'])) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? asNode(statement['declaration']) : statement;
    if (declaration === null) continue;
    if (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') {
      const id = asNode(declaration['id']);
      if (id !== null) bindings.set(String(id['name']), declaration);
    } else if (declaration.type === 'VariableDeclaration') {
      for (const declarator of children(declaration['declarations'])) {
        const id = asNode(declarator['id']);
        const init = asNode(declarator['init']);
        if (id?.type === 'Identifier' && init !== null) bindings.set(String(id['name']), init);
      }
    }
  }
  return bindings;
}

/** The shape of `node` with the rest of the property path applied. */
export function shapeOf(node: AnyNode | null, path: readonly string[], bindings: Map<string, AnyNode>, hops = 0): ExportShape {
  if (node === null) return { kind: 'unknown' };
  if (node.type === 'Identifier' && hops < 3) {
    const bound = bindings.get(String(node['name']));
    return bound === undefined ? { kind: 'unknown' } : shapeOf(bound, path, bindings, hops + 1);
  }
  if (path.length > 0) {
    if (node.type !== 'ObjectExpression') return node.type === 'Literal' ? { kind: 'missing' } : { kind: 'unknown' };
    const [head, ...rest] = path;
    let found: AnyNode | null = null;
    for (const property of children(node['properties'])) {
      if (property.type === 'SpreadElement') return { kind: 'unknown' };
      if (propertyName(property) === head) found = asNode(property['value']);
    }
    return found === null ? { kind: 'missing' } : shapeOf(found, rest, bindings, hops);
  }
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return { kind: 'function', arity: arity(node) };
    case 'ClassDeclaration':
    case 'ClassExpression':
      return { kind: 'function', arity: 0 };
    case 'Literal':
    case 'TemplateLiteral':
      return { kind: 'not-a-function', what: 'a literal value' };
    case 'ObjectExpression':
      return { kind: 'not-a-function', what: 'an object' };
    case 'ArrayExpression':
      return { kind: 'not-a-function', what: 'an array' };
    default:
      return { kind: 'unknown' };
  }
}

/**
 * `exports.a` / `module.exports.a` → `a`; `module.exports` → `''`; anything else null (`exports = …` alone replaces
 * only the local variable, not what the module exports).
 */
function exportsTarget(node: AnyNode | null, nested = false): string | null {
  if (node === null) return null;
  if (node.type === 'Identifier' && node['name'] === 'exports') return nested ? '' : null;
  if (node.type !== 'MemberExpression' || node['computed'] === true) return null;
  const object = asNode(node['object']);
  const property = asNode(node['property']);
  const name = property?.type === 'Identifier' ? String(property['name']) : null;
  if (object?.type === 'Identifier' && object['name'] === 'module' && name === 'exports') return '';
  const parent = exportsTarget(object, true);
  return parent === '' && name !== null ? name : null;
}

/** The shape of `path` exported by an ES module's program (`export const`, `export function`, `export { a as b }`, `export default`). */
export function esmExportShape(program: AnyNode, path: readonly string[]): ExportShape {
  const bindings = localBindings(program);
  const [head, ...rest] = path;
  let defaultExport: AnyNode | null = null;
  for (const statement of children(program['body'])) {
    if (statement.type === 'ExportDefaultDeclaration') defaultExport = asNode(statement['declaration']);
    if (statement.type !== 'ExportNamedDeclaration') continue;
    const declaration = asNode(statement['declaration']);
    if (declaration !== null) {
      const local = localBindings({ type: 'Program', body: [declaration] } as unknown as AnyNode);
      const bound = local.get(head ?? '');
      if (bound !== undefined) return shapeOf(bound, rest, bindings);
    }
    for (const specifier of children(statement['specifiers'])) {
      const exported = asNode(specifier['exported']);
      const exportedName = exported === null ? null : String(exported['name'] ?? exported['value']);
      if (exportedName !== head) continue;
      // A re-export (`export { x } from './y'`) is another module's: not followed here.
      if (statement['source'] !== null && statement['source'] !== undefined) return { kind: 'unknown' };
      return shapeOf(asNode(specifier['local']), rest, bindings);
    }
  }
  // The runtime looks into `default` when the path is not a named export.
  return defaultExport === null ? { kind: 'missing' } : shapeOf(defaultExport, path, bindings);
}

/** The shape of `path` exported by a CommonJS program (`exports.a = …`, `module.exports = { a }`, `module.exports.a = …`). */
export function cjsExportShape(program: AnyNode, path: readonly string[]): ExportShape {
  const bindings = localBindings(program);
  const [head, ...rest] = path;
  let shape: ExportShape = { kind: 'missing' };
  for (const statement of children(program['body'])) {
    const expression = statement.type === 'ExpressionStatement' ? asNode(statement['expression']) : null;
    if (expression?.type !== 'AssignmentExpression') continue;
    const target = exportsTarget(asNode(expression['left']));
    const value = asNode(expression['right']);
    // Later assignments win, as they would at run time.
    if (target === head) shape = shapeOf(value, rest, bindings);
    else if (target === '') shape = shapeOf(value, path, bindings);
  }
  return shape;
}
