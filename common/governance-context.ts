import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * What the gateway tells a subgraph about the caller of one request. The
 * subgraph trusts it only with a valid signature: an HMAC over the subgraph
 * it is meant for, a nonce, a recent timestamp, the context and the exact
 * request body, under a key of that subgraph's own. The gateway derives each
 * subgraph's key from its master key and hands it out; a subgraph holds its
 * own key only, so nothing a department's process holds can sign a request
 * another department's subgraph accepts.
 */
export interface GovernanceContext {
  sub: string;
  department: string;
  roles: string[];
  /** Area-code prefixes of the caller's jurisdiction; `610921` is the whole county. */
  areas: string[];
  purpose: string;
  requestId: string;
}

export const CONTEXT_HEADER = 'x-govgraph-context';
export const TIMESTAMP_HEADER = 'x-govgraph-timestamp';
export const SIGNATURE_HEADER = 'x-govgraph-signature';
export const NONCE_HEADER = 'x-govgraph-nonce';
export const KEY_ID_HEADER = 'x-govgraph-key-id';

/** The gateway's master key and its id. */
export interface SigningKey {
  keyId: string;
  master: Buffer;
}

/** A subgraph's own keys by id (the master key's id): more than one while the master key is rotated. */
export type VerifyingKeys = (keyId: string) => Buffer | undefined;

/** A master key's id: the first 16 characters of base64url(SHA-256("govgraph key id:" ‖ key)); it says nothing of the key. */
export function keyIdOf(master: Buffer): string {
  return createHash('sha256').update('govgraph key id:').update(master).digest('base64url').slice(0, 16);
}

/** A subgraph's own key: HMAC-SHA256(master key, "govgraph subgraph:" ‖ its name). */
export function subgraphKey(master: Buffer, audience: string): Buffer {
  return createHmac('sha256', master).update(`govgraph subgraph:${audience}`).digest();
}

/** Each subgraph's key, derived once per master key. */
const derived = new WeakMap<Buffer, Map<string, Buffer>>();

function keyFor(key: SigningKey, audience: string): Buffer {
  let keys = derived.get(key.master);
  if (!keys) derived.set(key.master, (keys = new Map()));
  let own = keys.get(audience);
  if (!own) keys.set(audience, (own = subgraphKey(key.master, audience)));
  return own;
}

/** How far a signature's timestamp may be from the receiver's clock. */
export const SIGNATURE_WINDOW_MS = 30_000;

export class SignatureError extends Error {}

export interface SignedHeaders {
  [CONTEXT_HEADER]: string;
  [TIMESTAMP_HEADER]: string;
  [NONCE_HEADER]: string;
  [KEY_ID_HEADER]: string;
  [SIGNATURE_HEADER]: string;
}

/**
 * The MAC: over the subgraph it is meant for (so it cannot be replayed to
 * another), a nonce (so it cannot be replayed to the same one), the time and
 * the context, dot-separated (no part of them holds a dot), a dot, then the
 * exact body, all UTF-8; one HMAC fed the head and then the body.
 */
function mac(key: Buffer, audience: string, nonce: string, timestamp: string, encodedContext: string, body: string): Buffer {
  return createHmac('sha256', key).update(`${audience}.${nonce}.${timestamp}.${encodedContext}.`).update(body).digest();
}

export function encodeContext(context: GovernanceContext): string {
  return Buffer.from(JSON.stringify(context), 'utf8').toString('base64url');
}

/** The headers that carry `encodedContext` to subgraph `audience` for exactly this body at `now`. */
export function signRequest(
  key: SigningKey,
  audience: string,
  encodedContext: string,
  body: string,
  now: number = Date.now(),
  nonce: string = randomUUID(),
): SignedHeaders {
  const timestamp = String(now);
  return {
    [CONTEXT_HEADER]: encodedContext,
    [TIMESTAMP_HEADER]: timestamp,
    [NONCE_HEADER]: nonce,
    [KEY_ID_HEADER]: key.keyId,
    [SIGNATURE_HEADER]: mac(keyFor(key, audience), audience, nonce, timestamp, encodedContext, body).toString('base64url'),
  };
}

/** How long an accepted nonce is remembered after its timestamp: longer than the timestamp stays acceptable, either way. */
export const REMEMBER_NONCE_MS = 2 * SIGNATURE_WINDOW_MS;

/**
 * Where a subgraph records the nonces it has accepted. `claim` is true the
 * first time a nonce is claimed and false ever after, until `expiresAt`
 * (the request's timestamp plus REMEMBER_NONCE_MS) has passed. A store
 * shared by every replica of a subgraph, and kept across restarts, makes a
 * signed request acceptable once, wherever and whenever it arrives.
 */
export interface NonceLedger {
  claim(nonce: string, expiresAt: number): Promise<boolean>;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string {
  const value = headers[name];
  if (typeof value !== 'string' || value.length === 0) throw new SignatureError(`missing ${name}`);
  return value;
}

/**
 * The caller's context, if the headers sign this body for `audience`
 * recently enough and the nonce is new to `nonces`; otherwise SignatureError.
 */
export async function verifyRequest(
  keys: VerifyingKeys,
  audience: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nonces: NonceLedger,
  now: number = Date.now(),
): Promise<GovernanceContext> {
  const encoded = header(headers, CONTEXT_HEADER);
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const nonce = header(headers, NONCE_HEADER);
  const signature = Buffer.from(header(headers, SIGNATURE_HEADER), 'base64url');
  if (!/^\d{1,15}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > SIGNATURE_WINDOW_MS) {
    throw new SignatureError('timestamp outside the signature window');
  }
  // No dot in any part of the signed head, so it splits one way only.
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) throw new SignatureError('malformed nonce');
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) throw new SignatureError('malformed context');
  const key = keys(header(headers, KEY_ID_HEADER));
  if (!key) throw new SignatureError('unknown key id');
  const expected = mac(key, audience, nonce, timestamp, encoded, body);
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) throw new SignatureError('bad signature');
  // Checked only after the signature, so nobody can burn a nonce they could not have signed.
  if (!(await nonces.claim(nonce, Number(timestamp) + REMEMBER_NONCE_MS))) throw new SignatureError('replayed request');
  return decodeContext(encoded);
}

/** The context `encodeContext` made, checked for shape; SignatureError when it is not one. */
export function decodeContext(encoded: string): GovernanceContext {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new SignatureError('malformed context');
  }
  const c = value as Partial<GovernanceContext>;
  const strings = (list: unknown): list is string[] => Array.isArray(list) && list.every((item) => typeof item === 'string');
  if (
    typeof c.sub !== 'string' ||
    typeof c.department !== 'string' ||
    typeof c.purpose !== 'string' ||
    typeof c.requestId !== 'string' ||
    !strings(c.roles) ||
    !strings(c.areas)
  ) {
    throw new SignatureError('malformed context');
  }
  return { sub: c.sub, department: c.department, roles: c.roles, areas: c.areas, purpose: c.purpose, requestId: c.requestId };
}
