/**
 * What a connector's CloudFormation import (connectors/<x>/import.ts, ./source-import.ts) is written with: the
 * import's value readers, YAML output and naming helpers. Connectors import src only through src/connector
 * (DESIGN §2), so these are re-exported here.
 */
export type { SourceImport } from './source-import.js';
export type { EsmDefinition } from '../import/esm.js';
export type { ImportSession } from '../import/session.js';
export type { TemplateResource } from '../import/template.js';
export { envName, envPrefix, interpolation, literal } from '../import/env-names.js';
export { describeExpression, readProperty, readValue, referencedResource, shortLocation, type ReadProperty } from '../import/esm-values.js';
export { list, scalar, type OutEntry, type OutMap } from '../import/out-yaml.js';
export { endpointEntry, nameEntry, namedOrArn, origin, parseArn, type MappedSource } from '../import/source-entries.js';
export { asRecord } from '../config/rules/raw-values.js';
