/**
 * When the API requires and verifies SigV4 signatures. Pure.
 *
 * The rule (issue 13 §1, "Security"):
 * - Bound to anything but loopback (e.g. `0.0.0.0`, a LAN address), the API is reachable from elsewhere: the
 *   operator must configure credentials (the server refuses to start otherwise), and every request must carry a
 *   valid signature for one of them; an unsigned request gets `MissingAuthenticationTokenException`.
 * - Bound to loopback (`127.0.0.0/8`, `::1`, `localhost`, the default), only local processes reach it:
 *   authentication is optional. A signed request is still verified when credentials are configured (so a wrong
 *   secret or an expired date is refused, not silently accepted); without configured credentials there is nothing to
 *   verify against, and the signature is ignored — that is what lets the AWS CLI and SDKs, which always sign with
 *   whatever local credentials they have, work against a local Tributary unchanged.
 */

/** How the server authenticates requests. */
export interface AuthPolicy {
  /** Every request must be signed (non-loopback bind). */
  readonly requireSignature: boolean;
  /** Credentials exist to verify signatures against. */
  readonly canVerify: boolean;
}

/** What to do with one request. */
export type AuthDecision = { readonly kind: 'verify' } | { readonly kind: 'accept-unverified' };

/** True for addresses only local processes can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/**
 * The policy for a server bound to `host` with `credentialCount` credentials.
 * @returns null when the combination is unsafe (reachable from elsewhere without credentials).
 */
export function authPolicy(host: string, credentialCount: number): AuthPolicy | null {
  const requireSignature = !isLoopbackHost(host);
  if (requireSignature && credentialCount === 0) return null;
  return { requireSignature, canVerify: credentialCount > 0 };
}

/** Verify the request, or accept it without verification. */
export function authDecision(policy: AuthPolicy, signed: boolean): AuthDecision {
  if (policy.requireSignature) return { kind: 'verify' };
  return signed && policy.canVerify ? { kind: 'verify' } : { kind: 'accept-unverified' };
}
