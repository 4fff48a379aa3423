/**
 * The only file that imports the AWS Glue SDK, loaded lazily by ./glue-registry.ts: GetRegistry (the start check) and
 * GetSchemaVersion (a record's schema by its schema version id). Region: the registry ARN's; endpoint and
 * credentials: the SDK's own chain (AWS_ENDPOINT_URL_GLUE for an emulator).
 */
import { GetRegistryCommand, GetSchemaVersionCommand, GlueClient } from '@aws-sdk/client-glue';

export interface GlueSchemaApi {
  /** Resolves when the registry exists and can be read. */
  getRegistry(registryArn: string, signal: AbortSignal): Promise<void>;
  /** The schema version's definition and format; rejects with the SDK's error (EntityNotFoundException when none). */
  getSchemaVersion(schemaVersionId: string, signal: AbortSignal): Promise<{ readonly definition: string | undefined; readonly format: string | undefined }>;
}

export function createGlueSchemaApi(region: string): GlueSchemaApi {
  const client = new GlueClient({ region, maxAttempts: 3 });
  return {
    async getRegistry(registryArn, signal) {
      await client.send(new GetRegistryCommand({ RegistryId: { RegistryArn: registryArn } }), { abortSignal: signal });
    },
    async getSchemaVersion(schemaVersionId, signal) {
      const answer = await client.send(new GetSchemaVersionCommand({ SchemaVersionId: schemaVersionId }), { abortSignal: signal });
      return { definition: answer.SchemaDefinition, format: answer.DataFormat };
    },
  };
}
