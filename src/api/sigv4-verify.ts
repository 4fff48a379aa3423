/**
 * Verification of an AWS Signature Version 4 request (service `lambda`) against the credentials the operator
 * configured. The signature is recomputed with the AWS SDK's own signer (@smithy/signature-v4, the code that signs
 * every @aws-sdk/* request) over exactly the headers the caller says it signed, then compared in constant time, so
 * canonicalization (double-encoded path, sorted query, trimmed header values) is the SDK's, not a copy of it.
 *
 * Secrets never leave this module: errors carry AWS's generic messages, never a key, a signature or a canonical
 * request.
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';
import type { ApiRequest } from './api-request.js';
import { missingAuthentication, parseSignatureClaim, signatureMismatch, SIGNING_SERVICE, unrecognizedClient, type SignatureClaim } from './sigv4-header.js';

/** One credential the API accepts. */
export interface ApiCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** When set, requests must carry this `X-Amz-Security-Token`; when unset they must carry none. */
  readonly sessionToken?: string;
}

/**
 * The parts of a request the signature covers. `rawPath` is as sent on the wire (percent-encoded once); the signer
 * encodes it again, as SigV4 requires for every service but S3.
 */
export type SignedRequest = Pick<ApiRequest, 'method' | 'rawPath' | 'query' | 'headers' | 'body'>;

/** SHA-256 (HMAC-SHA-256 with a secret) for the signer, on node:crypto as the SDK's own Node hash is. */
class Sha256 implements Checksum {
  private readonly secret: SourceData | undefined;
  private hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.secret = secret;
    this.hash = this.fresh();
  }

  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(this.secret));
  }
}

function bytesOf(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/**
 * Verify `request`'s signature; resolves with the access key id that signed it.
 * @throws LambdaApiError MissingAuthenticationTokenException, IncompleteSignatureException,
 *   UnrecognizedClientException or InvalidSignatureException, with AWS's messages.
 */
export async function verifySignature(
  request: SignedRequest,
  credentials: ReadonlyMap<string, ApiCredential>,
  region: string,
  nowMs: number,
): Promise<string> {
  if (request.headers['authorization'] === undefined) throw missingAuthentication();
  const claim = parseSignatureClaim(request.headers, region, nowMs);
  const credential = credentials.get(claim.accessKeyId);
  if (credential === undefined) throw unrecognizedClient();
  const token = request.headers['x-amz-security-token'];
  if (!sameSecret(token, credential.sessionToken)) throw unrecognizedClient();
  const headers = signedHeaderValues(request.headers, claim);
  const declaredHash = headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== createHash('sha256').update(request.body).digest('hex')) throw signatureMismatch();
  const expected = await recompute(request, headers, claim, credential);
  if (!sameHex(expected, claim.signature)) throw signatureMismatch();
  return claim.accessKeyId;
}

/** The values of exactly the headers the caller signed; a signed header that is missing cannot verify. */
function signedHeaderValues(headers: Readonly<Record<string, string>>, claim: SignatureClaim): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of claim.signedHeaders) {
    const value = headers[name];
    if (value === undefined) throw signatureMismatch();
    values[name] = value;
  }
  return values;
}

async function recompute(request: SignedRequest, headers: Record<string, string>, claim: SignatureClaim, credential: ApiCredential): Promise<string> {
  // No session token in the signer's credentials: a signed X-Amz-Security-Token is already among `headers`.
  const signer = new SignatureV4({
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey },
    region: claim.region,
    service: SIGNING_SERVICE,
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  const query: Record<string, string | string[]> = {};
  for (const [name, values] of request.query) query[name] = values.length === 1 ? (values[0] ?? '') : [...values];
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: (headers['host'] ?? '').replace(/:\d+$/, ''),
      path: request.rawPath,
      query,
      headers,
      body: request.body,
    },
    { signingDate: claim.signedAt, signableHeaders: new Set(claim.signedHeaders) },
  );
  const authorization = signed.headers['authorization'] ?? '';
  return /Signature=([0-9a-f]+)/.exec(authorization)?.[1] ?? '';
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.byteLength === right.byteLength && left.byteLength > 0 && timingSafeEqual(left, right);
}

function sameSecret(given: string | undefined, configured: string | undefined): boolean {
  if (given === undefined || configured === undefined) return given === configured;
  const left = createHash('sha256').update(given).digest();
  const right = createHash('sha256').update(configured).digest();
  return timingSafeEqual(left, right);
}
