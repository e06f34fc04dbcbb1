import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  CONTEXT_HEADER,
  KEY_ID_HEADER,
  keyIdOf,
  NONCE_HEADER,
  SIGNATURE_HEADER,
  subgraphKey,
  TIMESTAMP_HEADER,
  type SigningKey,
} from '../../common/governance-context';

/** A fresh master key, and the key configuration a subgraph named `audience` is given for it (`<key id>:<base64>`). */
export function newSigningKey(audience = 'grid'): { signingKey: SigningKey; verifyKeys: string } {
  const master = randomBytes(32);
  const keyId = keyIdOf(master);
  return { signingKey: { keyId, master }, verifyKeys: `${keyId}:${subgraphKey(master, audience).toString('base64')}` };
}

/**
 * A call to `audience` signed as the wire format says, but with `key` used
 * directly as that subgraph's own key: what someone holding `key` could forge.
 */
export function signedWithKey(key: Buffer, keyId: string, audience: string, encodedContext: string, body: string): Record<string, string> {
  const [nonce, timestamp] = [randomUUID(), String(Date.now())];
  return {
    [CONTEXT_HEADER]: encodedContext,
    [TIMESTAMP_HEADER]: timestamp,
    [NONCE_HEADER]: nonce,
    [KEY_ID_HEADER]: keyId,
    [SIGNATURE_HEADER]: createHmac('sha256', key)
      .update(`${audience}.${nonce}.${timestamp}.${encodedContext}.`)
      .update(body)
      .digest('base64url'),
  };
}
