/**
 * The evaluation scope of one template: pseudo parameters, parameters, the template's resources, its Conditions and
 * Mappings (intrinsics.ts evaluates against it). Conditions are evaluated once each, and a condition that refers
 * back to itself is reported instead of looping.
 */
import type { FieldPath } from '../config/field-path.js';
import { asRecord } from '../config/rules/pipeline-view.js';
import { evaluate, ok, unresolved, type Evaluated, type Scope } from './intrinsics.js';
import type { ParameterValue } from './parameters.js';
import { resourceAttribute, resourceRef } from './resources.js';
import { pseudoParameter, type StackContext } from './stack.js';
import type { Template, TemplateResource } from './template.js';

/** Scope of a template imported as `stack` with `parameters`. */
export class TemplateScope implements Scope {
  readonly template: Template;
  readonly stack: StackContext;
  readonly #parameters: ReadonlyMap<string, ParameterValue>;
  readonly #conditions = new Map<string, Evaluated>();
  readonly #evaluating = new Set<string>();

  constructor(template: Template, stack: StackContext, parameters: ReadonlyMap<string, ParameterValue>) {
    this.template = template;
    this.stack = stack;
    this.#parameters = parameters;
  }

  /** Evaluate a template value found at `path`. */
  evaluate(value: unknown, path: FieldPath): Evaluated {
    return evaluate(value, path, this);
  }

  ref(name: string, path: FieldPath): Evaluated {
    const pseudo = pseudoParameter(name, this.stack);
    if (pseudo !== undefined) return ok(pseudo);
    const parameter = this.#parameters.get(name);
    if (parameter !== undefined) return parameter.ok ? ok(parameter.value) : unresolved(parameter.reason, path);
    const resource = this.template.resources.get(name);
    if (resource !== undefined) return resourceRef(resource, this.stack, this);
    return unresolved(`Ref ${name}: no parameter or resource of this template has that name`, path);
  }

  getAtt(resourceId: string, attribute: string, path: FieldPath): Evaluated {
    const resource = this.template.resources.get(resourceId);
    if (resource === undefined) return unresolved(`Fn::GetAtt ${resourceId}.${attribute}: no resource of this template has that name`, path);
    return resourceAttribute(resource, attribute, this.stack, this);
  }

  condition(name: string, path: FieldPath): Evaluated {
    const known = this.#conditions.get(name);
    if (known !== undefined) return known;
    const conditions = asRecord(this.template.root['Conditions']);
    if (!(name in conditions)) return unresolved(`condition ${name} is not defined in Conditions`, path);
    if (this.#evaluating.has(name)) return unresolved(`condition ${name} refers to itself`, path);
    this.#evaluating.add(name);
    const result = this.#asBoolean(evaluate(conditions[name], ['Conditions', name], this), name);
    this.#evaluating.delete(name);
    this.#conditions.set(name, result);
    return result;
  }

  mapping(name: string): unknown {
    return asRecord(this.template.root['Mappings'])[name];
  }

  /** Whether CloudFormation would create `resource`: true without a Condition, else the condition's value. */
  created(resource: TemplateResource): Evaluated {
    return resource.condition === null ? ok(true) : this.condition(resource.condition, ['Resources', resource.id, 'Condition']);
  }

  #asBoolean(result: Evaluated, name: string): Evaluated {
    if (!result.ok || typeof result.value === 'boolean') return result;
    return unresolved(`condition ${name} is not a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition)`, ['Conditions', name]);
  }
}
