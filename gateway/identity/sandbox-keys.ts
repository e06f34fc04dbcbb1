import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { gatewayKeyFile, readOrCreateKeyFile } from '../../common/key-files';
import type { Identity } from './identity';

/** The sandbox is its own identity provider: one EC P-256 key in the gateway's key folder, made on first use. */
export const SANDBOX_ISSUER = 'govgraph-sandbox';
export const SANDBOX_AUDIENCE = 'govgraph';

export function loadSandboxSigningKey(dataDir: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const pem = readOrCreateKeyFile(gatewayKeyFile(dataDir, 'sandbox-token-key.pem'), () =>
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
  );
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** A sandbox token for `identity`, valid for `ttlSeconds`. */
export function mintSandboxToken(privateKey: KeyObject, identity: Identity, ttlSeconds: number, now = Date.now()): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({ name: identity.name, department: identity.department, roles: identity.roles, areas: identity.areas })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setSubject(identity.sub)
    .setIssuer(SANDBOX_ISSUER)
    .setAudience(SANDBOX_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(privateKey);
}
