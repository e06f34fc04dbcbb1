import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf, type SigningKey } from '../../common/governance-context';

/** A fresh Ed25519 pair: the key a gateway signs with, and the public key a subgraph is configured to accept (PEM). */
export function newSigningKey(): { signingKey: SigningKey; verifyKeys: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    signingKey: { keyId: keyIdOf(publicKey), privateKey },
    verifyKeys: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
