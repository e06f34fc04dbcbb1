import { LRUCache } from 'lru-cache';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { UnauthenticatedError } from '../../common/errors';
import { identityFromClaims, type Identity } from './identity';

export interface TokenSettings {
  /** Production: the identity provider's JWKS. Unset in the sandbox, which uses its own key. */
  jwksUrl?: string;
  issuer: string;
  audience: string;
}

export type TokenVerifier = (authorization: string | undefined) => Promise<Identity>;

const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];

/** Why a token was refused, in words that never repeat the token. */
function reasonFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim "${error.claim}" is not valid here`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm is not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature is not valid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'token was signed by an unknown key';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'token is malformed';
  return 'token could not be verified';
}

const CLOCK_TOLERANCE_S = 5;

export interface VerifiedTokenCacheOptions {
  /** Tokens remembered at most; the least recently used goes first. */
  size?: number;
  /** How long a verification is trusted, ms: a key withdrawn from the JWKS stops working within this. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Verifies `Authorization: Bearer <JWT>`: signature (a JWKS in production,
 * the sandbox key otherwise), issuer, audience, expiry, and the claims
 * govgraph needs. Unsigned tokens (`alg: none`) are never accepted.
 *
 * A client sends the same token with every request, so a verified token is
 * remembered, by its exact text, for a minute and never past its expiry:
 * the signature check (a fifth of a millisecond with ES256) is then paid
 * once per token and minute, not per request. Refusals are not remembered.
 */
export function createTokenVerifier(
  settings: TokenSettings,
  sandboxKey?: KeyLike | JWTVerifyGetKey,
  cacheOptions: VerifiedTokenCacheOptions = {},
): TokenVerifier {
  const key: KeyLike | JWTVerifyGetKey | undefined = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : sandboxKey;
  if (!key) throw new Error('no JWKS URL and no sandbox key: cannot verify tokens');
  const { size = 10_000, ttlMs = 60_000, now = Date.now } = cacheOptions;
  const verified = size > 0 ? new LRUCache<string, { identity: Identity; until: number }>({ max: size }) : undefined;
  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization ?? '');
    if (!match)
      throw new UnauthenticatedError(authorization ? 'Authorization must be "Bearer <JWT>"' : 'Authorization: Bearer <JWT> is required');
    const token = match[1]!;
    const known = verified?.get(token);
    if (known && known.until > now()) return known.identity;
    if (known) verified?.delete(token);
    try {
      const { payload } = await jwtVerify(token, key as KeyLike, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(now()),
      });
      // Shared by every request with this token: frozen, so none can change it for the others.
      const identity = freeze(identityFromClaims(payload));
      verified?.set(token, { identity, until: Math.min(now() + ttlMs, (payload.exp! + CLOCK_TOLERANCE_S) * 1000) });
      return identity;
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      throw new UnauthenticatedError(reasonFor(error));
    }
  };
}

function freeze(identity: Identity): Identity {
  Object.freeze(identity.roles);
  Object.freeze(identity.areas);
  return Object.freeze(identity);
}
