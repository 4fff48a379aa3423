/**
 * SigV4 authentication of the Lambda API with real signers: @aws-sdk/client-lambda and the SDK's own
 * @smithy/signature-v4 for hand-made requests (expired dates, tampered bodies). Wrong secrets, unknown keys, other
 * regions, skewed clocks and unsigned requests on a non-loopback bind are refused with AWS's error documents.
 */
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, REGION, startApiFixture, TEST_CREDENTIALS, type ApiFixture, sdkRefusal } from './api-fixture.ts';

let api: ApiFixture;
beforeAll(async () => {
  api = await startApiFixture();
});
afterAll(() => api.close());

const client = (endpoint: string, extra: Partial<ConstructorParameters<typeof LambdaClient>[0]> = {}): LambdaClient =>
  new LambdaClient({ endpoint, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1, ...extra });

/** SHA-256 as the SDK's Node clients compute it (independent of the verifier's own hash class). */
class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super('sha256', secret);
  }
}

/** A request signed by the SDK's signer at `signingDate`, sent with fetch. */
async function signedFetch(
  url: string,
  options: { path: string; method?: string; body?: string; signingDate: Date; tamper?: string; contentHashHeader?: boolean },
): Promise<Response> {
  const endpoint = new URL(url);
  // Like @aws-sdk/client-lambda, no X-Amz-Content-Sha256 header unless asked (then the body hash is declared and signed).
  const signer = new SignatureV4({ credentials: TEST_CREDENTIALS, region: REGION, service: 'lambda', sha256: Sha256, applyChecksum: options.contentHashHeader ?? false });
  const signed = await signer.sign(
    {
      method: options.method ?? 'GET',
      protocol: 'http:',
      hostname: endpoint.hostname,
      port: Number(endpoint.port),
      path: options.path,
      query: {},
      headers: { host: endpoint.host, 'content-type': 'application/json' },
      ...(options.body === undefined ? {} : { body: options.body }),
    },
    { signingDate: options.signingDate },
  );
  return fetch(`${url}${options.path}`, { method: signed.method, headers: signed.headers, ...(options.body === undefined ? {} : { body: options.tamper ?? options.body }) });
}

describe('SigV4 on the Lambda API', () => {
  it('refuses a wrong secret, an unknown access key and a credential scoped to another region', async () => {
    const wrong = client(api.server.url, { credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' } });
    expect(await sdkRefusal(wrong.send(new ListFunctionsCommand({})))).toEqual({
      name: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      status: 403,
    });
    const unknown = client(api.server.url, { credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } });
    expect(await sdkRefusal(unknown.send(new ListFunctionsCommand({})))).toEqual({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      status: 403,
    });
    const elsewhere = client(api.server.url, { region: 'eu-west-1' });
    expect(await sdkRefusal(elsewhere.send(new ListFunctionsCommand({})))).toEqual({
      name: 'InvalidSignatureException',
      message: "Credential should be scoped to a valid region, not 'eu-west-1'. ",
      status: 403,
    });
    const right = client(api.server.url);
    expect((await right.send(new ListFunctionsCommand({}))).Functions?.length).toBeGreaterThan(0);
    for (const c of [wrong, unknown, elsewhere, right]) c.destroy();
  });

  it('refuses signatures outside the 5-minute clock skew, in AWS words, and the SDK corrects its clock from the Date header', async () => {
    const now = Date.UTC(2026, 5, 1, 12, 0, 0);
    const fixed = await startApiFixture({ now: () => now });
    try {
      const expired = await signedFetch(fixed.server.url, { path: '/2015-03-31/functions/', signingDate: new Date(now - 6 * 60_000) });
      expect(expired.status).toBe(403);
      expect(expired.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
      expect(await expired.json()).toEqual({ message: 'Signature expired: 20260601T115400Z is now earlier than 20260601T115500Z (20260601T120000Z - 5 min.)' });
      const future = await signedFetch(fixed.server.url, { path: '/2015-03-31/functions/', signingDate: new Date(now + 6 * 60_000) });
      expect(await future.json()).toEqual({ message: 'Signature not yet current: 20260601T120600Z is still later than 20260601T120500Z (20260601T120000Z + 5 min.)' });
      const inTime = await signedFetch(fixed.server.url, { path: '/2015-03-31/functions/', signingDate: new Date(now - 4 * 60_000) });
      expect(inTime.status).toBe(200);
    } finally {
      await fixed.close();
    }
    // A client whose clock is 10 minutes late is refused once, reads the server's Date and retries in time.
    const late = client(api.server.url, { systemClockOffset: -10 * 60_000, maxAttempts: 3 });
    expect((await late.send(new ListFunctionsCommand({}))).$metadata.attempts).toBe(2);
    late.destroy();
  });

  it('refuses a body changed after signing', async () => {
    const body = JSON.stringify({ FunctionName: 'orders', EventSourceArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:signed` });
    const tampered = await signedFetch(api.server.url, {
      path: '/2015-03-31/event-source-mappings/',
      method: 'POST',
      body,
      tamper: body.replace('signed', 'forged'),
      signingDate: new Date(),
    });
    expect(tampered.status).toBe(403);
    expect(tampered.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    const declared = await signedFetch(api.server.url, {
      path: '/2015-03-31/event-source-mappings/',
      method: 'POST',
      body,
      tamper: body.replace('signed', 'forged'),
      signingDate: new Date(),
      contentHashHeader: true,
    });
    expect(declared.status).toBe(403);
    expect(declared.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    const honest = await signedFetch(api.server.url, { path: '/2015-03-31/event-source-mappings/', method: 'POST', body, signingDate: new Date() });
    expect(honest.status).toBe(202);
  });

  it('on a non-loopback bind requires credentials to start and a signature on every request', async () => {
    await expect(startApiFixture({ host: '0.0.0.0', credentials: [] })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const exposed = await startApiFixture({ host: '0.0.0.0' });
    try {
      expect(exposed.server.requireSignature).toBe(true);
      const local = exposed.server.url.replace('0.0.0.0', '127.0.0.1');
      const unsigned = await fetch(`${local}/2015-03-31/functions/`);
      expect(unsigned.status).toBe(403);
      expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      expect(unsigned.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await unsigned.json()).toEqual({ message: 'Missing Authentication Token' });
      const signed = client(local);
      expect((await signed.send(new ListFunctionsCommand({}))).$metadata.httpStatusCode).toBe(200);
      signed.destroy();
    } finally {
      await exposed.close();
    }
  });

  it('on loopback accepts unsigned requests, and any signature when no credentials are configured', async () => {
    expect((await fetch(`${api.server.url}/2015-03-31/functions/`)).status).toBe(200);
    const open = await startApiFixture({ credentials: [] });
    try {
      const anyone = client(open.server.url, { credentials: { accessKeyId: 'whatever', secretAccessKey: 'whatever' } });
      expect((await anyone.send(new ListFunctionsCommand({}))).$metadata.httpStatusCode).toBe(200);
      anyone.destroy();
    } finally {
      await open.close();
    }
  });
});
