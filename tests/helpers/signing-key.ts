import { randomBytes } from 'node:crypto';
import { keyIdOf, subgraphKey, type SigningKey } from '../../common/governance-context';

/** A fresh master key, and the key configuration a subgraph named `audience` is given for it (`<key id>:<base64>`). */
export function newSigningKey(audience = 'grid'): { signingKey: SigningKey; verifyKeys: string } {
  const master = randomBytes(32);
  const keyId = keyIdOf(master);
  return { signingKey: { keyId, master }, verifyKeys: `${keyId}:${subgraphKey(master, audience).toString('base64')}` };
}
