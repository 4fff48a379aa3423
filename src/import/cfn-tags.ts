/**
 * CloudFormation's YAML short forms (`!Ref X`, `!GetAtt X.Arn`, `!Sub …`, `!If [c, a, b]` …) as `yaml` custom tags
 * that turn each into its JSON long form (`{ Ref: X }`, `{ "Fn::GetAtt": [X, Arn] }` …), so a YAML template and
 * its JSON twin load to the same value. Every short form may be written on a scalar, a sequence or a mapping; the
 * long form simply wraps whatever follows the tag.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import { Pair, Scalar, YAMLMap, type CollectionTag, type ScalarTag, type Tags } from 'yaml';

/** Short-form names whose long form is `Fn::<name>` (CloudFormation's intrinsic functions and condition functions). */
const FUNCTIONS = [
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'ForEach', 'GetAZs', 'If', 'ImportValue', 'Join', 'Length', 'Not', 'Or',
  'Select', 'Split', 'Sub', 'ToJsonString', 'Transform',
] as const;

/** `!GetAtt Resource.Attribute` splits at the first dot: attribute names may contain dots (`Endpoint.Address`). */
function getAttParts(value: string): string[] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

/** A one-entry mapping `{ key: value }` around the tagged node, keeping the node (and so its position). */
function wrap(key: string, node: unknown): YAMLMap {
  const map = new YAMLMap();
  map.items.push(new Pair(new Scalar(key), node));
  return map;
}

function tagsFor(tag: string, longForm: string, scalar: (value: string) => unknown): (ScalarTag | CollectionTag)[] {
  return [
    { tag, resolve: scalar },
    { tag, collection: 'seq', resolve: (seq) => wrap(longForm, seq) },
    { tag, collection: 'map', resolve: (map) => wrap(longForm, map) },
  ];
}

/** The custom tags for `loadYaml(…, { customTags })`. */
export const CLOUDFORMATION_TAGS: Tags = [
  ...tagsFor('!Ref', 'Ref', (value) => ({ Ref: value })),
  ...tagsFor('!Condition', 'Condition', (value) => ({ Condition: value })),
  ...tagsFor('!GetAtt', 'Fn::GetAtt', (value) => ({ 'Fn::GetAtt': getAttParts(value) })),
  ...FUNCTIONS.flatMap((name) => tagsFor(`!${name}`, `Fn::${name}`, (value) => ({ [`Fn::${name}`]: value }))),
];
