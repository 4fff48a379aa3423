import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { asyncRefusal } from './refusal.js';
import { parseQueryString } from '../../../src/api/api-request.js';
import { authDecision, authPolicy, isLoopbackHost } from '../../../src/api/auth-policy.js';
import { amzDateOf, parseSignatureClaim } from '../../../src/api/sigv4-header.js';
import { verifySignature, type SignedRequest } from '../../../src/api/sigv4-verify.js';

class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super('sha256', secret);
  }
}

const now = Date.UTC(2026, 5, 1, 12, 0, 0);
const credential = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const credentials = new Map([[credential.accessKeyId, credential]]);

/** A request as the SDK signs it and as the server then sees it (raw path, decoded query, lower-case headers). */
async function signed(options: { path: string; rawQuery?: string; body?: string; at?: number; token?: string }): Promise<SignedRequest> {
  const signer = new SignatureV4({
    credentials: { ...credential, ...(options.token === undefined ? {} : { sessionToken: options.token }) },
    region: 'us-east-1',
    service: 'lambda',
    sha256: Sha256,
    applyChecksum: false,
  });
  const query = Object.fromEntries([...parseQueryString(options.rawQuery ?? '')].map(([name, values]) => [name, values[0] ?? '']));
  const request = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 21500, path: options.path, query, headers: { host: '127.0.0.1:21500', 'content-type': 'application/json' }, body: options.body ?? '' },
    { signingDate: new Date(options.at ?? now) },
  );
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { method: 'POST', rawPath: options.path, query: parseQueryString(options.rawQuery ?? ''), headers, body: new TextEncoder().encode(options.body ?? '') };
}


describe('verifySignature', () => {
  it('accepts what the SDK signed, including an ARN in the path and a query string', async () => {
    const request = await signed({
      path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorders/invocations',
      rawQuery: 'Qualifier=%24LATEST',
      body: '{"a":1}',
    });
    await expect(verifySignature(request, credentials, 'us-east-1', now)).resolves.toBe('AKIDEXAMPLE');
  });

  it('refuses a changed path, query, body or signed header', async () => {
    const request = await signed({ path: '/2015-03-31/functions/orders/invocations', rawQuery: 'Qualifier=1', body: '{"a":1}' });
    const changes: SignedRequest[] = [
      { ...request, rawPath: '/2015-03-31/functions/other/invocations' },
      { ...request, query: parseQueryString('Qualifier=2') },
      { ...request, body: new TextEncoder().encode('{"a":2}') },
      { ...request, headers: { ...request.headers, 'content-type': 'text/plain' } },
    ];
    for (const changed of changes) expect((await asyncRefusal(verifySignature(changed, credentials, 'us-east-1', now))).type).toBe('InvalidSignatureException');
  });

  it('requires the configured session token, and only it', async () => {
    const withToken = await signed({ path: '/2015-03-31/functions/', token: 'session-1' });
    expect((await asyncRefusal(verifySignature(withToken, credentials, 'us-east-1', now))).type).toBe('UnrecognizedClientException');
    const tokened = new Map([[credential.accessKeyId, { ...credential, sessionToken: 'session-1' }]]);
    await expect(verifySignature(withToken, tokened, 'us-east-1', now)).resolves.toBe('AKIDEXAMPLE');
    expect((await asyncRefusal(verifySignature(await signed({ path: '/2015-03-31/functions/' }), tokened, 'us-east-1', now))).type).toBe('UnrecognizedClientException');
  });

  it('answers an unsigned request with Missing Authentication Token', async () => {
    expect(await asyncRefusal(verifySignature({ method: 'GET', rawPath: '/', query: new Map(), headers: { host: 'h' }, body: new Uint8Array() }, credentials, 'us-east-1', now))).toEqual({
      type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });
});

describe('parseSignatureClaim', () => {
  const header = (date: string, scope = `${date.slice(0, 8)}/us-east-1/lambda/aws4_request`, signed = 'host;x-amz-date'): Record<string, string> => ({
    authorization: `AWS4-HMAC-SHA256 Credential=AKID/${scope}, SignedHeaders=${signed}, Signature=ABCDEF`,
    'x-amz-date': date,
  });

  it('reads the claim and accepts up to 5 minutes of skew either way', () => {
    const claim = parseSignatureClaim(header(amzDateOf(now - 5 * 60_000)), 'us-east-1', now);
    expect(claim).toMatchObject({ accessKeyId: 'AKID', region: 'us-east-1', service: 'lambda', signedHeaders: ['host', 'x-amz-date'], signature: 'abcdef' });
    expect(() => parseSignatureClaim(header(amzDateOf(now + 5 * 60_000)), 'us-east-1', now)).not.toThrow();
  });

  it.each([
    [header('20260601T115459Z'), 'InvalidSignatureException', 'Signature expired: 20260601T115459Z is now earlier than 20260601T115500Z (20260601T120000Z - 5 min.)'],
    [header('20260601T120501Z'), 'InvalidSignatureException', 'Signature not yet current: 20260601T120501Z is still later than 20260601T120500Z (20260601T120000Z + 5 min.)'],
    [header('20260601T120000Z', '20260601/us-east-1/sqs/aws4_request'), 'InvalidSignatureException', "Credential should be scoped to correct service: 'lambda'. "],
    [header('20260601T120000Z', '20260531/us-east-1/lambda/aws4_request'), 'InvalidSignatureException', expect.stringMatching(/^Date in Credential scope does not match/)],
    [header('20260601T120000Z', undefined, 'x-amz-date'), 'InvalidSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization."],
    [header('2026-06-01T12:00:00Z'), 'IncompleteSignatureException', expect.stringMatching(/^Date must be in ISO-8601 'basic format'/)],
    [{ authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260601/us-east-1/lambda/aws4_request' }, 'IncompleteSignatureException', expect.stringMatching(/requires 'SignedHeaders'.*requires 'Signature'.*'X-Amz-Date'/)],
    [{ authorization: 'Basic dXNlcjpwYXNz', 'x-amz-date': '20260601T120000Z' }, 'IncompleteSignatureException', expect.stringMatching(/^Unsupported AWS 'algorithm'/)],
  ])('%j', (headers, type, message) => {
    expect(() => parseSignatureClaim(headers, 'us-east-1', now)).toThrow(expect.objectContaining({ awsType: type, message }) as unknown as Error);
  });
});

describe('the authentication rule', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.3.2.1', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.com']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('requires credentials and signatures beyond loopback, and verifies on loopback only what is signed and verifiable', () => {
    expect(authPolicy('0.0.0.0', 0)).toBeNull();
    const exposed = authPolicy('0.0.0.0', 1);
    expect(exposed).toEqual({ requireSignature: true, canVerify: true });
    const local = authPolicy('127.0.0.1', 1);
    const open = authPolicy('127.0.0.1', 0);
    if (exposed === null || local === null || open === null) throw new Error('unexpected null policy');
    expect(authDecision(exposed, false).kind).toBe('verify');
    expect(authDecision(local, true).kind).toBe('verify');
    expect(authDecision(local, false).kind).toBe('accept-unverified');
    expect(authDecision(open, true).kind).toBe('accept-unverified');
  });
});
