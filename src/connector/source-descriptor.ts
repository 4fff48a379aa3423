/**
 * A source type's light half (DESIGN §3.1): what the configuration, the ESM API, the mapping-conflict checks and
 * the CloudFormation import know about it, declared in connectors/<x>/descriptor.ts and listed eagerly in
 * ./source-descriptors.ts. Unlike the connector (./definition.ts, loaded lazily with its SDK), a descriptor is zod
 * schemas and pure functions only: the configuration is validated synchronously at load, before any SDK is imported.
 * The core iterates over descriptors and never switches on `source.type`.
 */
import type * as z from 'zod';
import type { PathIssue } from '../config/field-path.js';
import type { PipelineView } from '../config/rules/pipeline-view.js';
import type { MappingSourceConfig, PipelineConfig } from '../config/types.js';
import type { SourceImport } from './source-import.js';
import type { SourceIdentity, SourceRules, SourceTraits } from './source-traits.js';

/** What a source's resolver may use besides its validated input. */
export interface SourceResolveContext {
  /** The pipeline's name (the default Kafka consumer group derives from it). */
  readonly pipelineName: string;
  /** The config file's folder: relative file paths of the source (Kafka's PEM files) are anchored there. */
  readonly baseDir: string;
}

/**
 * One source type's declarations. `C` is its resolved config, `S` the zod schema of its `source:` mapping (a strict
 * object whose `type` is a literal: the options of the discriminated union are built from these).
 */
export interface SourceDescriptor<C extends MappingSourceConfig = MappingSourceConfig, S extends z.ZodType = z.ZodType> {
  /** `source.type` in YAML. */
  readonly type: C['type'];
  /** The `source:` mapping of this type: field builders of src/config/schema, messages from schema/zod-issues.ts. */
  readonly schema: S;
  /**
   * The resolved config of a validated `source:`: nulls for what is absent, names and ARNs derived from each other
   * where the format allows it, the region taken from the ARN when not given (the resource lives there).
   */
  resolve(input: z.output<S>, context: SourceResolveContext): C;
  /** How Lambda's ESM API names and shows this source (src/api/esm-source.ts, esm-document.ts). */
  readonly esm: SourceEsmMapping<C>;
  /** AWS's defaults and which knobs apply (batch size, window, metric groups, provisioned pollers, …). */
  readonly traits: SourceTraits;
  /** Cross-field rules of one pipeline reading this source (run on the raw value with the schema's, src/config/rules). */
  readonly rules: SourceRules;
  /** Rules across every pipeline of a file reading this source (absolute paths), e.g. Kafka's unique consumer groups. */
  readonly fileRules?: (views: readonly PipelineView[]) => PathIssue[];
  /** How the cross-mapping checks of the ESM API tell two of these sources apart (src/control/mapping-conflicts.ts). */
  readonly identity: SourceIdentity<C>;
  /** How `tributary import` maps a CloudFormation / SAM event source mapping of this source (src/import/map-source.ts). */
  readonly cloudFormation: SourceImport;
}

/** Where API-created sources are reached (from the service's configuration). */
export interface SourceDefaults {
  /** `endpoint` (and optional `region` override) for SQS, Kinesis and DynamoDB Streams sources. */
  readonly sqs?: AwsEndpointDefaults;
  readonly kinesis?: AwsEndpointDefaults;
  readonly dynamodbStreams?: AwsEndpointDefaults;
  /** Bootstrap servers per MSK cluster ARN (AWS looks them up from the cluster; Tributary cannot). */
  readonly mskBootstrapServers?: Readonly<Record<string, readonly string[]>>;
}

/** `endpoint` / `region` of an AWS source. */
export interface AwsEndpointDefaults {
  readonly endpoint?: string;
  readonly region?: string;
}

/** A CreateEventSourceMapping request body (untrusted JSON, navigated with `asRecord`). */
export type EsmRequestBody = Readonly<Record<string, unknown>>;

/** What a source's members of the EventSourceMappingConfiguration document are built from besides its config. */
export interface EsmDocumentParts {
  readonly pipeline: PipelineConfig;
  /** `StartingPosition` / `StartingPositionTimestamp`, each when set. */
  startingPosition(): Record<string, unknown>;
  /** `BisectBatchOnFunctionError`, `MaximumRetryAttempts`, `MaximumRecordAgeInSeconds`, `DestinationConfig`. */
  errorHandling(): Record<string, unknown>;
}

/** A source in Lambda's ESM API, both ways (API_CreateEventSourceMapping, API_EventSourceMappingConfiguration). */
export interface SourceEsmMapping<C extends MappingSourceConfig> {
  /** The service of an `EventSourceArn` (`arn:aws:<service>:…`) that names this source type. */
  readonly arnService: string;
  /** The `source:` mapping of a create request whose `EventSourceArn` is `arn` (validated later as a file's would be). */
  sourceOfArn(arn: string, body: EsmRequestBody, defaults: SourceDefaults): Record<string, unknown>;
  /** The `source:` of a create request with `SelfManagedEventSource`; absent when the source is known by ARN only. */
  readonly sourceOfSelfManaged?: (body: EsmRequestBody, defaults: SourceDefaults) => Record<string, unknown>;
  /** The ARN the source is known by in AWS terms, or null (self-managed Kafka, a stream named only by name). */
  eventSourceArn(config: C): string | null;
  /** `StateTransitionReason` after a user's change: `USER_INITIATED` (SQS, Kafka) or `User action` (streams), as AWS answers. */
  readonly userActionReason: string;
  /** The document members that apply to this source type, in the order Lambda returns them. */
  documentMembers(config: C, parts: EsmDocumentParts): Record<string, unknown>;
  /**
   * AWS's own message for a configuration issue at `field` (relative to the pipeline: `startingPosition`) that is
   * peculiar to this source, or null (src/api/esm-issue-messages.ts). `pipeline` is the untrusted request's input.
   */
  readonly awsIssueMessage?: (field: string, pipeline: EsmRequestBody) => string | null;
}

/** Declares a source descriptor (an identity function that keeps the precise schema type for the union). */
export function defineSourceDescriptor<C extends MappingSourceConfig, S extends z.ZodType>(descriptor: SourceDescriptor<C, S>): SourceDescriptor<C, S> {
  return descriptor;
}
