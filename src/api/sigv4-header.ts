/**
 * The parts of an AWS Signature Version 4 request a verifier checks before any cryptography: the `Authorization`
 * header, the credential scope and the request date with its allowed clock skew. Pure.
 *
 * Rules (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html, and Lambda's
 * answers as SDK issues record them, e.g. aws-sdk-go#859): `AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/
 * <service>/aws4_request, SignedHeaders=<a;b;c>, Signature=<hex>`; the scope's service must be `lambda`; the request
 * time (`X-Amz-Date`) may differ from the server's clock by at most 5 minutes, refused with
 * "Signature expired: 20160928T174419Z is now earlier than 20160928T174724Z (20160928T175224Z - 5 min.)".
 */
import { LambdaApiError } from './api-errors.js';

/** AWS's allowed clock skew for SigV4 requests. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
export const SIGNING_SERVICE = 'lambda';

/** The signed facts of a request. */
export interface SignatureClaim {
  readonly accessKeyId: string;
  /** `yyyymmdd` of the scope. */
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  /** Lower-case names, in the order given. */
  readonly signedHeaders: readonly string[];
  /** Lower-case hex. */
  readonly signature: string;
  /** `X-Amz-Date` as sent (`yyyymmddThhmmssZ`). */
  readonly amzDate: string;
  readonly signedAt: Date;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** `Missing Authentication Token` — what Lambda answers a request without any signature. */
export function missingAuthentication(): LambdaApiError {
  return new LambdaApiError('MissingAuthenticationTokenException', 'Missing Authentication Token');
}

/** The signature mismatch, in AWS's words. */
export function signatureMismatch(): LambdaApiError {
  return new LambdaApiError(
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
}

/** An access key id (or session token) we do not know, in AWS's words. */
export function unrecognizedClient(): LambdaApiError {
  return new LambdaApiError('UnrecognizedClientException', 'The security token included in the request is invalid.');
}

/** True when the request carries a SigV4 `Authorization` header (or tries to). */
export function hasSignature(headers: Readonly<Record<string, string>>): boolean {
  return headers['authorization'] !== undefined;
}

/**
 * Parse and check the claim of a signed request against the server's region and clock.
 * @throws LambdaApiError IncompleteSignatureException (malformed), InvalidSignatureException (scope, skew).
 */
export function parseSignatureClaim(headers: Readonly<Record<string, string>>, region: string, nowMs: number): SignatureClaim {
  const header = headers['authorization'] ?? '';
  const space = header.indexOf(' ');
  const algorithm = space === -1 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'. Use ${ALGORITHM}.`);
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((name) => !fields.has(name));
  const amzDate = headers['x-amz-date'];
  const problems = missing.map((name) => `Authorization header requires '${name}' parameter.`);
  if (amzDate === undefined) problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (problems.length > 0 || amzDate === undefined) throw incomplete(problems.join(' '));
  const credential = (fields.get('Credential') ?? '').split('/');
  const [accessKeyId = '', scopeDate = '', scopeRegion = '', service = '', terminator = ''] = credential;
  if (credential.length !== 5 || terminator !== 'aws4_request' || accessKeyId === '') {
    throw incomplete(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${fields.get('Credential') ?? ''}'`);
  }
  const signedAt = parseAmzDate(amzDate);
  const claim: SignatureClaim = {
    accessKeyId,
    scopeDate,
    region: scopeRegion,
    service,
    signedHeaders: (fields.get('SignedHeaders') ?? '').split(';').map((name) => name.trim().toLowerCase()).filter((name) => name !== ''),
    signature: (fields.get('Signature') ?? '').toLowerCase(),
    amzDate,
    signedAt,
  };
  checkScope(claim, region);
  checkSkew(claim, nowMs);
  return claim;
}

function checkScope(claim: SignatureClaim, region: string): void {
  if (claim.service !== SIGNING_SERVICE) throw invalidSignature(`Credential should be scoped to correct service: '${SIGNING_SERVICE}'. `);
  if (claim.region !== region) throw invalidSignature(`Credential should be scoped to a valid region, not '${claim.region}'. `);
  const dateOfRequest = claim.amzDate.slice(0, 8);
  if (claim.scopeDate !== dateOfRequest) {
    throw invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${claim.scopeDate}' != '${dateOfRequest}', from '${claim.amzDate}'.`,
    );
  }
  if (!claim.signedHeaders.includes('host')) throw invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
}

function checkSkew(claim: SignatureClaim, nowMs: number): void {
  const signedMs = claim.signedAt.getTime();
  if (signedMs < nowMs - MAX_CLOCK_SKEW_MS) {
    throw invalidSignature(`Signature expired: ${claim.amzDate} is now earlier than ${amzDateOf(nowMs - MAX_CLOCK_SKEW_MS)} (${amzDateOf(nowMs)} - 5 min.)`);
  }
  if (signedMs > nowMs + MAX_CLOCK_SKEW_MS) {
    throw invalidSignature(`Signature not yet current: ${claim.amzDate} is still later than ${amzDateOf(nowMs + MAX_CLOCK_SKEW_MS)} (${amzDateOf(nowMs)} + 5 min.)`);
  }
}

function parseAmzDate(value: string): Date {
  const match = AMZ_DATE.exec(value);
  const date = match === null ? null : new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6])));
  if (date === null || Number.isNaN(date.getTime()) || amzDateOf(date.getTime()) !== value) {
    throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  return date;
}

/** `yyyymmddThhmmssZ` of an instant. */
export function amzDateOf(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function incomplete(message: string): LambdaApiError {
  return new LambdaApiError('IncompleteSignatureException', message);
}

function invalidSignature(message: string): LambdaApiError {
  return new LambdaApiError('InvalidSignatureException', message);
}
