/**
 * Schema-registry credentials from Secrets Manager (accessConfigs BASIC_AUTH, a secret holding `username` and
 * `password`): Apicurio Registry (test/services/apicurio.ts) behind a reverse proxy that demands HTTP Basic
 * authentication — the way a registry is commonly fronted — with the secret on moto's Secrets Manager. The decoder
 * authenticates with the secret; wrong credentials are refused at start without showing them; after the registry's
 * password and the secret are rotated, the next schema fetch is refused once (401), the secret is fetched again and
 * the fetch repeated.
 */
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createServer, type Server } from 'node:http';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordDecoder } from '../../connectors/kafka/schema/index.js';
import { freePortInRange } from '../services/local-process.ts';
import { startApicurio, type RunningApicurio } from '../services/apicurio.ts';
import { startMoto, type RunningMoto } from '../services/moto.ts';
import { useMotoEndpoints } from './helpers/moto-clients.ts';
import { rejection } from '../support/rejection.ts';

const run = `${Date.now()}-${process.pid}`;
let restoreEnvironment = (): void => undefined;
let registry: RunningApicurio;
let moto: RunningMoto;
let secrets: SecretsManagerClient;
let proxy: Server;
let proxyUrl: string;
/** What the proxy accepts, and the statuses it answered. */
const accepted = { username: 'registry-user', password: `first-${run}` };
const statuses: number[] = [];

beforeAll(async () => {
  [registry, moto] = await Promise.all([startApicurio((l) => process.stderr.write(`[apicurio] ${l}\n`)), startMoto((l) => process.stderr.write(`[moto] ${l}\n`))]);
  restoreEnvironment = useMotoEndpoints(moto, ['SECRETS_MANAGER']);
  secrets = new SecretsManagerClient({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
  const port = await freePortInRange(22370, 22379);
  proxy = createServer((req, res) => {
    const expected = `Basic ${Buffer.from(`${accepted.username}:${accepted.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      statuses.push(401);
      res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' }).end();
      return;
    }
    void fetch(`${registry.url}${req.url ?? '/'}`).then(async (answer) => {
      statuses.push(answer.status);
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text());
    }, (error: unknown) => res.writeHead(502).end(String(error)));
  });
  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${port}/apis/ccompat/v7`;
}, 600_000);

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  secrets?.destroy();
  await Promise.all([registry?.stop(), moto?.stop()]);
  restoreEnvironment();
});

async function secret(name: string, password: string): Promise<string> {
  const { ARN } = await secrets.send(new CreateSecretCommand({ Name: `${name}-${run}`, SecretString: JSON.stringify({ username: accepted.username, password }) }));
  if (ARN === undefined) throw new Error('moto returned no ARN');
  return ARN;
}

async function register(subject: string, schema: unknown): Promise<number> {
  const answer = await fetch(`${registry.ccompat}/subjects/${subject}/versions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ schema: JSON.stringify(schema) }) });
  return ((await answer.json()) as { id: number }).id;
}

const config = (uri: string) => ({ kind: 'confluent' as const, uri: proxyUrl, eventRecordFormat: 'JSON' as const, validateKey: false, validateValue: true, accessConfigs: [{ type: 'BASIC_AUTH' as const, uri }] });

function record(id: number, payload: Buffer) {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(id, 1);
  return { topic: 't', partition: 0, offset: '0', timestampMs: 0, timestampType: 'CREATE_TIME' as const, key: null, value: Buffer.concat([header, payload]), headers: [] };
}

describe('schema registry BASIC_AUTH from Secrets Manager', () => {
  it('decodes through a registry that demands the credentials; picks up a rotated password on the refusal', async () => {
    const schema = { type: 'record', name: 'A', fields: [{ name: 'n', type: 'int' }] };
    const first = await register(`auth-a-${run}`, schema);
    const arn = await secret('registry', accepted.password);
    const decoder = createRecordDecoder(config(arn));
    await decoder.check(AbortSignal.timeout(10_000));
    const type = avro.Type.forSchema(schema as avro.Schema);
    expect((await decoder.toRecord(record(first, type.toBuffer({ n: 1 })), AbortSignal.timeout(10_000))).eventRecord['valueSchemaMetadata']).toEqual({ dataFormat: 'AVRO', schemaId: String(first) });

    // Rotation: the registry now wants another password, and the secret holds it.
    accepted.password = `second-${run}`;
    await secrets.send(new PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify({ username: accepted.username, password: accepted.password }) }));
    const second = await register(`auth-b-${run}`, { ...schema, name: 'B' });
    statuses.length = 0;
    const decoded = await decoder.toRecord(record(second, type.toBuffer({ n: 2 })), AbortSignal.timeout(10_000));
    expect(decoded.undeliverable).toBeUndefined();
    expect(JSON.parse(Buffer.from(String(decoded.eventRecord['value']), 'base64').toString())).toEqual({ n: 2 });
    expect(statuses).toEqual([401, 200]);
  });

  it('wrong credentials in the secret refuse the start clearly, without showing them', async () => {
    const wrong = `wrong-${run}`;
    const decoder = createRecordDecoder(config(await secret('registry-wrong', wrong)));
    const error = await rejection(decoder.check(AbortSignal.timeout(10_000)));
    expect(error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', retryable: true });
    expect((error as Error).message).toBe(`schema registry ${proxyUrl}/subjects refused the request (HTTP 401): check its accessConfigs`);
    expect((error as Error).message).not.toContain(wrong);
  });
});
