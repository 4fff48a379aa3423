/**
 * How a source type's event source mappings are imported from CloudFormation / SAM (`tributary import`,
 * src/import/map-source.ts): the resource types an EventSourceArn of it references and the `source:` it becomes.
 * Declared in connectors/<x>/import.ts with the helpers of ./import-kit.ts; pure (notes go to the session).
 */
import type { EsmDefinition } from '../import/esm.js';
import type { ReadProperty } from '../import/esm-values.js';
import type { ImportSession } from '../import/session.js';
import type { MappedSource } from '../import/source-entries.js';
import type { TemplateResource } from '../import/template.js';

export interface SourceImport {
  /** CloudFormation resource types whose ARN, as an EventSourceArn, names this source (`AWS::SQS::Queue`). */
  readonly resourceTypes: readonly string[];
  /** The `source:` of a mapping whose EventSourceArn is `arn` (`resource`: the template's, when it references one). */
  fromArn(esm: EsmDefinition, session: ImportSession, arn: ReadProperty, resource: TemplateResource | undefined): MappedSource | undefined;
  /**
   * The mapping property that marks the self-managed form of this source (Kafka's
   * `SelfManagedEventSource.Endpoints.KafkaBootstrapServers`) and the `source:` of such a mapping.
   */
  readonly selfManaged?: { readonly property: string; map(esm: EsmDefinition, session: ImportSession): MappedSource | undefined };
}
