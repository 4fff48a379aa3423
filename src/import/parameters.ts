/**
 * Values of a template's Parameters: `--parameter Key=Value` from the command line, else the parameter's
 * `Default`. List types (`CommaDelimitedList`, `List<…>`) split at commas, as `Ref` of them returns a list; every
 * other type is a string, as CloudFormation passes even `Number` parameters to `Ref` as strings. A parameter of an
 * `AWS::SSM::Parameter::Value<…>` type holds the *name* of an SSM parameter in its Default, so its value is only
 * known in AWS unless given on the command line.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
 */
import { asRecord } from '../config/rules/pipeline-view.js';
import type { Template } from './template.js';

/** A parameter's value, or why there is none. */
export type ParameterValue = { readonly ok: true; readonly value: string | readonly string[] } | { readonly ok: false; readonly reason: string };

/** The resolved parameters and the command-line keys the template does not declare. */
export interface ResolvedParameters {
  readonly values: ReadonlyMap<string, ParameterValue>;
  readonly unknown: readonly string[];
}

/** Resolve every declared parameter of `template` from `given` (command line) and the defaults. */
export function resolveParameters(template: Template, given: ReadonlyMap<string, string>): ResolvedParameters {
  const declared = asRecord(template.root['Parameters']);
  const values = new Map<string, ParameterValue>();
  for (const [name, definition] of Object.entries(declared)) {
    const type = String(asRecord(definition)['Type'] ?? 'String');
    const fallback = asRecord(definition)['Default'];
    const written = given.get(name);
    if (written === undefined && type.startsWith('AWS::SSM::Parameter::Value<')) {
      values.set(name, { ok: false, reason: `parameter ${name} is read from SSM Parameter Store (${String(fallback ?? 'no name')}) at deploy time; pass --parameter ${name}=VALUE` });
      continue;
    }
    const value = written ?? (fallback === undefined || fallback === null ? undefined : String(fallback));
    if (value === undefined) {
      values.set(name, { ok: false, reason: `parameter ${name} has no Default; pass --parameter ${name}=VALUE` });
      continue;
    }
    const list = type === 'CommaDelimitedList' || type.startsWith('List<') || type.startsWith('AWS::SSM::Parameter::Value<List<');
    values.set(name, { ok: true, value: list ? value.split(',').map((item) => item.trim()) : value });
  }
  return { values, unknown: [...given.keys()].filter((name) => !(name in declared)) };
}
