/**
 * CloudFormation's intrinsic functions, evaluated the way CloudFormation would at deploy time as far as a template
 * alone can tell: `Ref`, `Fn::GetAtt`, `Fn::Sub` (both forms), `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::If`,
 * the condition functions, `Fn::FindInMap`, `Fn::Base64`, `Fn::Length`, `Fn::ToJsonString`. What only AWS knows
 * (`Fn::ImportValue`, `Fn::GetAZs`, `Fn::Cidr`) is an unresolved result with a reason, never a guess.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 *
 * Pure: references go through a `Scope` (parameters, pseudo parameters, resources, conditions, mappings).
 */
import type { FieldPath } from '../config/field-path.js';

/** `Ref: AWS::NoValue`: the property (or list item) is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/**
 * An evaluated value. `generated` lists the resources whose physical names CloudFormation would generate and that
 * the value therefore only approximates (`<stack>-<LogicalId>`, see resources.ts).
 */
export type Evaluated =
  | { readonly ok: true; readonly value: unknown; readonly generated: readonly string[] }
  | { readonly ok: false; readonly reason: string; readonly path: FieldPath };

/** What references resolve against. */
export interface Scope {
  /** `Ref name`: a parameter, a pseudo parameter or a resource. */
  ref(name: string, path: FieldPath): Evaluated;
  /** `Fn::GetAtt [resource, attribute]`. */
  getAtt(resource: string, attribute: string, path: FieldPath): Evaluated;
  /** The value of the condition `name` (a boolean). */
  condition(name: string, path: FieldPath): Evaluated;
  /** The mapping `name` of the template's Mappings section. */
  mapping(name: string): unknown;
}

/** A successful result. */
export function ok(value: unknown, generated: readonly string[] = []): Evaluated {
  return { ok: true, value, generated };
}

/** An unresolved result at `path`. */
export function unresolved(reason: string, path: FieldPath): Evaluated {
  return { ok: false, reason, path };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a one-key mapping `{ Ref: … }` or `{ "Fn::…": … }`. */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0]?.startsWith('Fn::') ?? false));
}

/** Evaluate a template value found at `path` (every intrinsic inside it, recursively). */
export function evaluate(value: unknown, path: FieldPath, scope: Scope): Evaluated {
  if (Array.isArray(value)) return evaluateList(value, path, scope);
  if (isIntrinsic(value)) {
    const [name, argument] = Object.entries(value)[0] ?? ['', undefined];
    return intrinsic(name, argument, [...path, name], scope);
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    const generated: string[] = [];
    for (const [key, child] of Object.entries(value)) {
      const result = evaluate(child, [...path, key], scope);
      if (!result.ok) return result;
      if (result.value !== NO_VALUE) out[key] = result.value;
      generated.push(...result.generated);
    }
    return ok(out, generated);
  }
  return ok(value);
}

function evaluateList(items: readonly unknown[], path: FieldPath, scope: Scope): Evaluated {
  const out: unknown[] = [];
  const generated: string[] = [];
  for (const [index, item] of items.entries()) {
    const result = evaluate(item, [...path, index], scope);
    if (!result.ok) return result;
    if (result.value !== NO_VALUE) out.push(result.value);
    generated.push(...result.generated);
  }
  return ok(out, generated);
}

/** Evaluate `items` (already known to be a list) and hand the values to `then`, keeping `generated`. */
function withValues(argument: unknown, path: FieldPath, scope: Scope, then: (values: unknown[]) => Evaluated): Evaluated {
  const result = evaluate(argument, path, scope);
  if (!result.ok) return result;
  if (!Array.isArray(result.value)) return unresolved('expects a list', path);
  const next = then(result.value);
  return next.ok ? ok(next.value, [...result.generated, ...next.generated]) : next;
}

function intrinsic(name: string, argument: unknown, path: FieldPath, scope: Scope): Evaluated {
  switch (name) {
    case 'Ref':
      return typeof argument === 'string' ? scope.ref(argument, path) : unresolved('Ref expects a name', path);
    case 'Fn::GetAtt':
      return getAtt(argument, path, scope);
    case 'Fn::Sub':
      return sub(argument, path, scope);
    case 'Fn::Join':
      return withValues(argument, path, scope, ([delimiter, list]) =>
        typeof delimiter === 'string' && Array.isArray(list) ? ok(list.map(String).join(delimiter)) : unresolved('Fn::Join expects [delimiter, [values]]', path),
      );
    case 'Fn::Select':
      return withValues(argument, path, scope, ([index, list]) => {
        const i = Number(index);
        return Array.isArray(list) && Number.isInteger(i) && i >= 0 && i < list.length ? ok(list[i]) : unresolved(`Fn::Select index ${String(index)} is out of range`, path);
      });
    case 'Fn::Split':
      return withValues(argument, path, scope, ([delimiter, text]) =>
        typeof delimiter === 'string' && typeof text === 'string' ? ok(text.split(delimiter)) : unresolved('Fn::Split expects [delimiter, string]', path),
      );
    case 'Fn::If':
      return fnIf(argument, path, scope);
    case 'Fn::Equals':
      return withValues(argument, path, scope, ([a, b]) => ok(String(a) === String(b)));
    case 'Fn::And':
    case 'Fn::Or':
      return logical(name, argument, path, scope);
    case 'Fn::Not':
      return Array.isArray(argument) && argument.length === 1
        ? booleanOf(argument[0], [...path, 0], scope, (value) => ok(!value))
        : unresolved('Fn::Not expects [condition]', path);
    case 'Fn::FindInMap':
      return findInMap(argument, path, scope);
    case 'Fn::Base64':
      return withValue(argument, path, scope, (text) => ok(Buffer.from(String(text), 'utf8').toString('base64')));
    case 'Fn::Length':
      return withValue(argument, path, scope, (list) => (Array.isArray(list) ? ok(list.length) : unresolved('Fn::Length expects a list', path)));
    case 'Fn::ToJsonString':
      return withValue(argument, path, scope, (value) => ok(JSON.stringify(value)));
    case 'Fn::ImportValue':
      return withValue(argument, path, scope, (exported) =>
        unresolved(`Fn::ImportValue "${String(exported)}" is exported by another stack; its value is only known in AWS (write it into the output)`, path),
      );
    case 'Fn::GetAZs':
      return unresolved('Fn::GetAZs asks AWS for the Availability Zones of a region', path);
    default:
      return unresolved(`${name} cannot be evaluated outside CloudFormation`, path);
  }
}

function withValue(argument: unknown, path: FieldPath, scope: Scope, then: (value: unknown) => Evaluated): Evaluated {
  const result = evaluate(argument, path, scope);
  if (!result.ok) return result;
  const next = then(result.value);
  return next.ok ? ok(next.value, [...result.generated, ...next.generated]) : next;
}

function getAtt(argument: unknown, path: FieldPath, scope: Scope): Evaluated {
  const parts = typeof argument === 'string' ? argument.split(/\.(.*)/s, 2) : argument;
  if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== 'string') return unresolved('Fn::GetAtt expects [resource, attribute]', path);
  const resource = parts[0];
  return withValue(parts[1], [...path, 1], scope, (attribute) => scope.getAtt(resource, String(attribute), path));
}

/** `${Name}` references of `Fn::Sub`; `${!Text}` is the literal `${Text}`. */
const SUB_REFERENCE = /\$\{([^}]*)\}/g;

function sub(argument: unknown, path: FieldPath, scope: Scope): Evaluated {
  const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
  if (typeof text !== 'string' || !isObject(variables)) return unresolved('Fn::Sub expects a string or [string, {variables}]', path);
  const values = evaluate(variables, Array.isArray(argument) ? [...path, 1] : path, scope);
  if (!values.ok) return values;
  const bound = values.value as Record<string, unknown>;
  const generated = [...values.generated];
  let failure: Evaluated | null = null;
  const out = text.replace(SUB_REFERENCE, (whole, body: string) => {
    if (failure !== null) return whole;
    if (body.startsWith('!')) return `\${${body.slice(1)}}`;
    const name = body.trim();
    let result: Evaluated;
    if (name in bound) result = ok(bound[name]);
    else {
      const dot = name.indexOf('.');
      result = dot > 0 && !name.startsWith('AWS::') ? scope.getAtt(name.slice(0, dot), name.slice(dot + 1), path) : scope.ref(name, path);
    }
    if (!result.ok) {
      failure = result;
      return whole;
    }
    generated.push(...result.generated);
    return String(result.value);
  });
  return failure ?? ok(out, generated);
}

function booleanOf(value: unknown, path: FieldPath, scope: Scope, then: (value: boolean) => Evaluated): Evaluated {
  const result = isObject(value) && typeof value['Condition'] === 'string' && Object.keys(value).length === 1
    ? scope.condition(value['Condition'], path)
    : evaluate(value, path, scope);
  if (!result.ok) return result;
  return typeof result.value === 'boolean' ? then(result.value) : unresolved(`expected a condition (got ${JSON.stringify(result.value)})`, path);
}

function logical(name: 'Fn::And' | 'Fn::Or', argument: unknown, path: FieldPath, scope: Scope): Evaluated {
  if (!Array.isArray(argument)) return unresolved(`${name} expects a list of conditions`, path);
  const values: boolean[] = [];
  for (const [index, operand] of argument.entries()) {
    const result = booleanOf(operand, [...path, index], scope, (value) => ok(value));
    if (!result.ok) return result;
    values.push(result.value as boolean);
  }
  return ok(name === 'Fn::And' ? values.every(Boolean) : values.some(Boolean));
}

function fnIf(argument: unknown, path: FieldPath, scope: Scope): Evaluated {
  if (!Array.isArray(argument) || argument.length !== 3 || typeof argument[0] !== 'string') return unresolved('Fn::If expects [condition, value if true, value if false]', path);
  const condition = scope.condition(argument[0], path);
  if (!condition.ok) return condition;
  const chosen = condition.value === true ? 1 : 2;
  return evaluate(argument[chosen], [...path, chosen], scope);
}

function findInMap(argument: unknown, path: FieldPath, scope: Scope): Evaluated {
  return withValues(argument, path, scope, ([map, top, second, options]) => {
    const found = (scope.mapping(String(map)) as Record<string, Record<string, unknown> | undefined> | undefined)?.[String(top)]?.[String(second)];
    if (found !== undefined) return ok(found);
    // The AWS::LanguageExtensions transform adds a DefaultValue.
    const fallback = isObject(options) ? options['DefaultValue'] : undefined;
    return fallback === undefined ? unresolved(`Fn::FindInMap: Mappings.${String(map)}.${String(top)}.${String(second)} does not exist`, path) : ok(fallback);
  });
}
