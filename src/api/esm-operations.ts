/**
 * The event-source-mapping operations (API_CreateEventSourceMapping, API_GetEventSourceMapping,
 * API_UpdateEventSourceMapping, API_DeleteEventSourceMapping, API_ListEventSourceMappings): parse, validate with the
 * configuration's own code, call the MappingControl, shape AWS's document. Create, Update and Delete answer 202 with
 * the transitional state, Get and List 200, as the model's `responseCode`s say.
 */
import { invalidParameter, MAPPING_NOT_FOUND, resourceConflict, resourceNotFound, validationError } from './api-errors.js';
import { jsonResponse, queryValue, type ApiRequest, type ApiResponse } from './api-request.js';
import { requireConfinedDestination } from './destination-confinement.js';
import { mappingDocument, writtenDestination } from './esm-document.js';
import { esmParameterChanges, type EsmParameterChanges } from './esm-parameters.js';
import { mergedPipelineInput, newPipelineInput } from './esm-pipeline.js';
import { sourceOfCreateRequest } from './esm-source.js';
import { resolveMappingPipeline } from './esm-validation.js';
import { parseFunctionName, type FunctionRef } from './function-name.js';
import { parseJsonBody } from './json-object.js';
import type { OperationContext } from './operation-context.js';
import { MAPPING_PAGING, pageOf, parseMaxItems } from './paging.js';
import type { FunctionDescription, MappingRecord } from './ports.js';

/** Lambda's default function timeout, used when a mapping's function is no longer declared. */
const DEFAULT_TIMEOUT_SECONDS = 3;

export async function createEventSourceMapping(request: ApiRequest, _params: Readonly<Record<string, string>>, context: OperationContext): Promise<ApiResponse> {
  const body = parseJsonBody(request.body);
  const name = body['FunctionName'];
  if (typeof name !== 'string') throw validationError(["Value null at 'functionName' failed to satisfy constraint: Member must not be null"]);
  const { ref, fn } = await mappedFunction(name, context);
  const source = sourceOfCreateRequest(body, context.sourceDefaults);
  const changes = esmParameterChanges(body, 'create');
  const uuid = context.randomUUID();
  const pipeline = newPipelineInput(uuid, source, changes);
  requireConfinedDestination(writtenDestination(pipeline), context.baseDir, 'DestinationConfig.OnFailure.Destination');
  resolveMappingPipeline(pipeline, fn.timeoutSeconds, { baseDir: context.baseDir, nowMs: context.now() });
  logWarnings(context, uuid, changes);
  const record = await context.ports.mappings.create({ uuid, functionName: fn.name, qualifier: ref.qualifier, pipeline, awsOnly: changes.awsOnly });
  return jsonResponse(202, await documentOf(record, context));
}

export async function getEventSourceMapping(_request: ApiRequest, params: Readonly<Record<string, string>>, context: OperationContext): Promise<ApiResponse> {
  return jsonResponse(200, await documentOf(await existing(params, context), context));
}

export async function updateEventSourceMapping(request: ApiRequest, params: Readonly<Record<string, string>>, context: OperationContext): Promise<ApiResponse> {
  const current = writable(await existing(params, context));
  const body = parseJsonBody(request.body);
  const changes = esmParameterChanges(body, 'update');
  const target = typeof body['FunctionName'] === 'string' ? await mappedFunction(body['FunctionName'], context) : null;
  const functionName = target?.fn.name ?? current.functionName;
  const fn = target?.fn ?? (await context.ports.functions.get(functionName));
  const pipeline = mergedPipelineInput(current.pipeline, changes);
  if (changes.pipeline['destinationConfig'] !== undefined) {
    requireConfinedDestination(writtenDestination(pipeline), context.baseDir, 'DestinationConfig.OnFailure.Destination');
  }
  resolveMappingPipeline(pipeline, fn?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS, { baseDir: context.baseDir, nowMs: context.now() });
  logWarnings(context, current.uuid, changes);
  const record = await context.ports.mappings.update(current.uuid, {
    functionName,
    qualifier: target === null ? current.qualifier : target.ref.qualifier,
    pipeline,
    awsOnly: { ...current.awsOnly, ...changes.awsOnly },
    enabledChanged: (pipeline['enabled'] ?? true) !== (current.pipeline['enabled'] ?? true),
  });
  return jsonResponse(202, await documentOf(record, context));
}

export async function deleteEventSourceMapping(_request: ApiRequest, params: Readonly<Record<string, string>>, context: OperationContext): Promise<ApiResponse> {
  const current = writable(await existing(params, context));
  const record = await context.ports.mappings.delete(current.uuid);
  return jsonResponse(202, await documentOf(record, context));
}

export async function listEventSourceMappings(request: ApiRequest, _params: Readonly<Record<string, string>>, context: OperationContext): Promise<ApiResponse> {
  const maxItems = parseMaxItems(queryValue(request, 'MaxItems'), MAPPING_PAGING);
  const functionName = queryValue(request, 'FunctionName');
  const ref = functionName === null ? null : parseFunctionName(functionName, null, context.identity);
  const eventSourceArn = queryValue(request, 'EventSourceArn');
  const records = (await context.ports.mappings.list()).filter((record) => ref === null || matchesFunction(record, ref));
  const documents = await Promise.all(records.map(async (record) => ({ uuid: record.uuid, document: await documentOf(record, context) })));
  const selected = documents.filter((entry) => eventSourceArn === null || entry.document['EventSourceArn'] === eventSourceArn);
  const page = pageOf(selected, (entry) => entry.uuid, queryValue(request, 'Marker'), maxItems, MAPPING_PAGING);
  return jsonResponse(200, {
    EventSourceMappings: page.items.map((entry) => entry.document),
    ...(page.nextMarker === null ? {} : { NextMarker: page.nextMarker }),
  });
}

/**
 * The function a mapping targets. Unknown: InvalidParameterValueException "Function does not exist", AWS's answer
 * to CreateEventSourceMapping (LocalStack's AWS-validated provider). Tributary's functions only have `$LATEST`.
 */
async function mappedFunction(functionName: string, context: OperationContext): Promise<{ ref: FunctionRef; fn: FunctionDescription }> {
  const ref = parseFunctionName(functionName, null, context.identity);
  const fn = ref.qualifier === null || ref.qualifier === '$LATEST' ? await context.ports.functions.get(ref.name) : null;
  if (fn === null) throw invalidParameter('Function does not exist');
  return { ref, fn };
}

function matchesFunction(record: MappingRecord, ref: FunctionRef): boolean {
  return record.functionName === ref.name && (ref.qualifier === null || ref.qualifier === record.qualifier);
}

async function existing(params: Readonly<Record<string, string>>, context: OperationContext): Promise<MappingRecord> {
  const record = await context.ports.mappings.get(params['UUID'] ?? '');
  if (record === null) throw resourceNotFound(MAPPING_NOT_FOUND);
  return record;
}

function writable(record: MappingRecord): MappingRecord {
  if (!record.writable) {
    throw resourceConflict(
      `The event source mapping ${record.uuid} is declared in Tributary's configuration file and cannot be changed through the API; change the file instead`,
    );
  }
  return record;
}

/**
 * The document of a stored mapping. A stored pipeline that no longer resolves (e.g. a rule added since it was
 * created) still gets a document with what the record itself says, so Get and List never fail because of one
 * mapping; the problem is logged.
 */
async function documentOf(record: MappingRecord, context: OperationContext): Promise<Record<string, unknown>> {
  const fn = await context.ports.functions.get(record.functionName);
  try {
    const config = resolveMappingPipeline(record.pipeline, fn?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS, { baseDir: context.baseDir, nowMs: context.now() });
    return mappingDocument(record, config, context.identity);
  } catch (error) {
    context.logger.error({ mapping: record.uuid, err: error instanceof Error ? error.message : 'unknown error' }, 'stored event source mapping does not resolve');
    return { UUID: record.uuid, State: record.state, StateTransitionReason: record.stateTransitionReason, LastModified: record.lastModifiedMs / 1000 };
  }
}

function logWarnings(context: OperationContext, uuid: string, changes: EsmParameterChanges): void {
  for (const warning of changes.warnings) context.logger.warn({ mapping: uuid }, warning);
}
