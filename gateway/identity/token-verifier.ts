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

/**
 * Verifies `Authorization: Bearer <JWT>`: signature (a JWKS in production,
 * the sandbox key otherwise), issuer, audience, expiry, and the claims
 * govgraph needs. Unsigned tokens (`alg: none`) are never accepted.
 */
export function createTokenVerifier(settings: TokenSettings, sandboxKey?: KeyLike): TokenVerifier {
  const key: KeyLike | JWTVerifyGetKey | undefined = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : sandboxKey;
  if (!key) throw new Error('no JWKS URL and no sandbox key: cannot verify tokens');
  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization ?? '');
    if (!match) throw new UnauthenticatedError(authorization ? 'Authorization must be "Bearer <JWT>"' : 'Authorization: Bearer <JWT> is required');
    try {
      const { payload } = await jwtVerify(match[1]!, key as KeyLike, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      });
      return identityFromClaims(payload);
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      throw new UnauthenticatedError(reasonFor(error));
    }
  };
}
