/**
 * A CloudFormation template as `tributary import` reads it: YAML (with the short-form tags) or JSON, its resources,
 * and the position of every part so each note can say `template.yaml:23:7`. SAM templates (the
 * `AWS::Serverless-2016-10-31` transform) and CDK synth output (`cdk.out/*.template.json`) are CloudFormation
 * templates too; `kind` only tells which one it looked like.
 */
import type { ConfigIssue } from '../errors.js';
import type { FieldPath } from '../config/field-path.js';
import { loadYaml, type Position } from '../config/load-yaml.js';
import { CLOUDFORMATION_TAGS } from './cfn-tags.js';
import { asRecord as asMap } from '../config/rules/pipeline-view.js';

/** Where a part of a template is: the file as the user named it, and a 1-based position. */
export interface TemplateLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One entry of `Resources`. */
export interface TemplateResource {
  readonly id: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
  /** The resource's `Condition`, or null. */
  readonly condition: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** What produced the template, as far as its content tells. */
export type TemplateKind = 'sam' | 'cdk' | 'cloudformation';

/** A loaded template. */
export interface Template {
  /** The file as named on the command line (labels notes). */
  readonly file: string;
  /** Absolute folder of the file: SAM's CodeUri and CDK's asset paths are relative to it. */
  readonly dir: string;
  readonly kind: TemplateKind;
  readonly root: Readonly<Record<string, unknown>>;
  readonly resources: ReadonlyMap<string, TemplateResource>;
  /** Position of the part at `path` (from the document root), or of its nearest existing parent. */
  locate(path: FieldPath): TemplateLocation;
}

/** The template, or why it cannot be read as one. */
export type TemplateLoadResult = { readonly ok: true; readonly template: Template } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** Parse a template's text. `file` labels positions; `dir` is the template's absolute folder. */
export function parseTemplate(text: string, file: string, dir: string): TemplateLoadResult {
  const loaded = loadYaml(text, file, { customTags: CLOUDFORMATION_TAGS });
  if (!loaded.ok) return loaded;
  const root = loaded.value;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    return { ok: false, issues: [{ file, line: 1, column: 1, path: '', message: 'is not a CloudFormation template (expected a mapping with Resources)' }] };
  }
  const rootMap = root as Record<string, unknown>;
  const resourcesValue = rootMap['Resources'];
  if (typeof resourcesValue !== 'object' || resourcesValue === null || Array.isArray(resourcesValue)) {
    const at = loaded.locate(['Resources']);
    return { ok: false, issues: [{ file, ...at, path: 'Resources', message: 'is required: a template has a Resources mapping' }] };
  }
  const resources = new Map<string, TemplateResource>();
  for (const [id, raw] of Object.entries(resourcesValue as Record<string, unknown>)) {
    const resource = asMap(raw);
    const condition = resource['Condition'];
    resources.set(id, {
      id,
      type: typeof resource['Type'] === 'string' ? resource['Type'] : '',
      properties: asMap(resource['Properties']),
      condition: typeof condition === 'string' ? condition : null,
      metadata: asMap(resource['Metadata']),
    });
  }
  const locate = (path: FieldPath): TemplateLocation => toLocation(file, loaded.locate(path));
  return { ok: true, template: { file, dir, kind: kindOf(rootMap, resources), root: rootMap, resources, locate } };
}

function toLocation(file: string, position: Position): TemplateLocation {
  return { file, line: position.line, column: position.column };
}

function kindOf(root: Record<string, unknown>, resources: ReadonlyMap<string, TemplateResource>): TemplateKind {
  const transform = root['Transform'];
  const transforms = Array.isArray(transform) ? transform : [transform];
  if (transforms.includes(SAM_TRANSFORM) || [...resources.values()].some((r) => r.type.startsWith('AWS::Serverless::'))) return 'sam';
  // CDK writes aws:cdk:path metadata (unless disabled) and the BootstrapVersion parameter of its synthesizer.
  const parameters = asMap(root['Parameters']);
  if ('BootstrapVersion' in parameters || [...resources.values()].some((r) => 'aws:cdk:path' in r.metadata)) return 'cdk';
  return 'cloudformation';
}

/** `file:line:column`. */
export function formatLocation(at: TemplateLocation): string {
  return `${at.file}:${at.line}:${at.column}`;
}
