/**
 * The ports of the Lambda API server: the four interfaces the service implements so that the wire layer
 * (src/api) can answer Lambda's REST API (2015-03-31) without knowing how pipelines, functions and the
 * asynchronous queue are run. The API validates and shapes; the ports decide and persist.
 *
 * Conventions for every port:
 * - A refusal AWS has a name for is thrown as a `LambdaApiError` (src/api/api-errors.ts has one factory per AWS
 *   error, with AWS's message), e.g. `resourceConflict(…)` for a duplicate mapping. Anything else thrown becomes a
 *   `ServiceException` (500) without its message, so internals never reach a caller.
 * - Inputs were validated by the API with the same code as `tributary validate`; ports may trust their shape.
 * - Times are epoch milliseconds.
 */

/** An event source mapping's state, as Lambda reports it (API_EventSourceMappingConfiguration `State`). */
export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';

/**
 * One pipeline in the configuration file's object form (lowerCamelCase, exactly what `tributary validate` checks
 * under `pipelines[i]`), WITHOUT `function`: the function is named separately (`functionName`), because it is one of
 * the declared `functions:`. For a mapping created through the API, `name` is its UUID and `enabled` is present.
 * Contains no `${VAR}` interpolation: API input is never interpolated.
 */
export type PipelineInput = Readonly<Record<string, unknown>>;

/** What the service knows of one mapping, for Get / List and as the result of Create / Update / Delete. */
export interface MappingRecord {
  /** Lambda's `UUID` (36 characters). Mappings from the config file need a stable one too (e.g. a UUID v5 of the name). */
  readonly uuid: string;
  /** Name of the function in `functions:` (not an ARN). */
  readonly functionName: string;
  /** The qualifier the mapping targets (`$LATEST`, a version or an alias), or null. */
  readonly qualifier: string | null;
  /** The mapping's parameters (see {@link PipelineInput}). */
  readonly pipeline: PipelineInput;
  readonly state: MappingState;
  /** Lambda's `StateTransitionReason`, e.g. `User action`. */
  readonly stateTransitionReason: string;
  readonly lastModifiedMs: number;
  /** Lambda's `LastProcessingResult`, e.g. `No records processed`, `OK`, `PROBLEM: Function call failed`. */
  readonly lastProcessingResult: string;
  /** False for mappings declared in the config file: Update and Delete answer 409 ResourceConflictException. */
  readonly writable: boolean;
  /**
   * Parameters AWS defines that Tributary accepts but does not act on (`KMSKeyArn`, `Tags`,
   * `LoggingConfig`…), keyed by AWS's name, stored and returned verbatim so tools that
   * read back what they wrote (Terraform, CloudFormation) see no drift.
   */
  readonly awsOnly: Readonly<Record<string, unknown>>;
}

/** A validated CreateEventSourceMapping. */
export interface NewMapping {
  /** Chosen by the API (Lambda generates it); the pipeline's `name` equals it. */
  readonly uuid: string;
  readonly functionName: string;
  readonly qualifier: string | null;
  readonly pipeline: PipelineInput;
  readonly awsOnly: Readonly<Record<string, unknown>>;
}

/** A validated UpdateEventSourceMapping: the complete new parameters, already merged with the current ones. */
export interface MappingChange {
  readonly functionName: string;
  readonly qualifier: string | null;
  readonly pipeline: PipelineInput;
  readonly awsOnly: Readonly<Record<string, unknown>>;
  /** The request set `Enabled` (pause keeping the position / resume from it), as opposed to other parameters. */
  readonly enabledChanged: boolean;
}

/**
 * The control plane of event source mappings (issue 13 §1). Create / Update / Delete return at once with the
 * transitional state (`Creating`, `Updating` / `Enabling` / `Disabling`, `Deleting`); the change then happens in
 * the background, as on AWS, and later reads show the settled state.
 */
export interface MappingControl {
  /** Every mapping, in any order (the API sorts and pages). */
  list(): Promise<readonly MappingRecord[]>;
  /** The mapping, or null when there is none with that UUID (also once a delete finished). */
  get(uuid: string): Promise<MappingRecord | null>;
  /** Throws `resourceConflict(mappingAlreadyExistsMessage(…))` when the same source and function are already mapped. */
  create(mapping: NewMapping): Promise<MappingRecord>;
  /** Throws `resourceNotFound(MAPPING_NOT_FOUND)` when gone, `resourceInUse(…)` while it is being deleted. */
  update(uuid: string, change: MappingChange): Promise<MappingRecord>;
  /** Drains in-flight batches, then releases leases and checkpoints; returns the record in state `Deleting`. */
  delete(uuid: string): Promise<MappingRecord>;
}

/** How a declared function runs (DESIGN §3.3). */
export type FunctionRunnerKind = 'module' | 'http' | 'lambda' | 'in-process';

/** One entry of the config's `functions:` map, as much as GetFunction / ListFunctions show. */
export interface FunctionDescription {
  readonly name: string;
  readonly runner: FunctionRunnerKind;
  /** The handler string of a `module` function (`./handlers/orders.handler`), else null. */
  readonly handler: string | null;
  /** Lambda's `Timeout`, seconds. */
  readonly timeoutSeconds: number;
  /** Lambda's `MemorySize` (the heap limit of a `module` sandbox); null when Tributary does not control it. */
  readonly memorySizeMb: number | null;
  /** `reservedConcurrency`: shared by synchronous calls, the asynchronous queue and every mapping; null = unreserved. */
  readonly reservedConcurrency: number | null;
  readonly description: string;
  /** When the definition was loaded or last changed. */
  readonly lastModifiedMs: number;
}

/** The functions the config declares. Environment variables are deliberately not part of it: they may hold secrets. */
export interface FunctionRegistry {
  list(): Promise<readonly FunctionDescription[]>;
  /** The function named `name` (a plain name: the API has already taken ARNs and qualifiers apart), or null. */
  get(name: string): Promise<FunctionDescription | null>;
}

/** Lambda's invocation types that reach the invoker (`DryRun` is answered by the API after its checks). */
export type InvocationType = 'RequestResponse' | 'Event';

/** One validated Invoke call. */
export interface InvokeRequest {
  readonly functionName: string;
  readonly qualifier: string | null;
  readonly invocationType: InvocationType;
  /** The event: JSON text as bytes (checked to parse); `{}` when the request had no body, as on AWS. */
  readonly payload: Uint8Array;
  /** `Tail`: return the invocation's log (the API keeps the last 4 KB). Only for RequestResponse. */
  readonly logType: 'None' | 'Tail';
  /** `X-Amz-Client-Context`, decoded from base64 JSON (the handler's `context.clientContext`), or null. */
  readonly clientContext: Readonly<Record<string, unknown>> | null;
  /** The `x-amzn-RequestId` the caller receives; use it as the invocation's `awsRequestId`. */
  readonly requestId: string;
  /** Aborted when the caller disconnects or the server stops. */
  readonly signal: AbortSignal;
}

/** The result of an invocation. A throttle is thrown as `tooManyRequests(…)`, never returned. */
export type InvokeOutcome =
  | {
      /** RequestResponse: the function ran (successfully or with a function error). */
      readonly kind: 'response';
      /** The function's response, or Lambda's error object (`{"errorMessage","errorType","stackTrace"}`). */
      readonly payload: Uint8Array;
      /** Lambda's `X-Amz-Function-Error` (`Unhandled` for every function error today), null on success. */
      readonly functionError: 'Unhandled' | 'Handled' | null;
      /** `X-Amz-Executed-Version`, e.g. `$LATEST`. */
      readonly executedVersion: string;
      /** The invocation's log lines (the API sends the last 4 KB, base64), or null when not captured. */
      readonly log: string | null;
    }
  | {
      /** Event: the event is stored durably and will be invoked; the caller gets 202. */
      readonly kind: 'accepted';
    };

/** The front door of function invocations (issue 14). */
export interface Invoker {
  invoke(request: InvokeRequest): Promise<InvokeOutcome>;
}

/** A function's asynchronous-invocation settings (API_FunctionEventInvokeConfig). */
export interface EventInvokeConfig {
  readonly functionName: string;
  /** `$LATEST` when the request named none, as AWS stores it. */
  readonly qualifier: string;
  /** 0–2; null = AWS's default (2). */
  readonly maximumRetryAttempts: number | null;
  /** 60–21600; null = AWS's default (21600). */
  readonly maximumEventAgeInSeconds: number | null;
  /** Destination strings as Tributary accepts them (an SQS ARN/URL, `kafka://…`, `file://…`, a function ARN), or null. */
  readonly onSuccess: string | null;
  readonly onFailure: string | null;
  readonly lastModifiedMs: number;
}

/** Where Put / Update / Delete FunctionEventInvokeConfig are kept (durably, shared by the replicas). */
export interface EventInvokeConfigStore {
  get(functionName: string, qualifier: string): Promise<EventInvokeConfig | null>;
  /** Every config of the function (all qualifiers). */
  list(functionName: string): Promise<readonly EventInvokeConfig[]>;
  /** Stores `config` in place of any previous one (the API merges for Update) and returns it. */
  put(config: EventInvokeConfig): Promise<EventInvokeConfig>;
  /** Removes it; false when there was none. */
  delete(functionName: string, qualifier: string): Promise<boolean>;
}

/** Everything the API server needs from the service. */
export interface ApiPorts {
  readonly mappings: MappingControl;
  readonly functions: FunctionRegistry;
  readonly invoker: Invoker;
  readonly eventInvokeConfigs: EventInvokeConfigStore;
}
