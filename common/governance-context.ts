import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What the gateway tells a subgraph about the caller of one request. The
 * subgraph trusts it only with a valid signature: an HMAC, under a key the
 * gateway and subgraphs share, over the context, the exact request body and
 * a timestamp that must be recent.
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

/** How far a signature's timestamp may be from the receiver's clock. */
export const SIGNATURE_WINDOW_MS = 30_000;

export class SignatureError extends Error {}

export interface SignedHeaders {
  [CONTEXT_HEADER]: string;
  [TIMESTAMP_HEADER]: string;
  [SIGNATURE_HEADER]: string;
}

function mac(key: Buffer, encodedContext: string, timestamp: string, body: string): Buffer {
  const bodyHash = createHash('sha256').update(body, 'utf8').digest('hex');
  return createHmac('sha256', key).update(`${timestamp}.${encodedContext}.${bodyHash}`).digest();
}

export function encodeContext(context: GovernanceContext): string {
  return Buffer.from(JSON.stringify(context), 'utf8').toString('base64url');
}

/** The headers that carry `encodedContext` for exactly this body at `now`. */
export function signRequest(key: Buffer, encodedContext: string, body: string, now: number = Date.now()): SignedHeaders {
  const timestamp = String(now);
  return {
    [CONTEXT_HEADER]: encodedContext,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: mac(key, encodedContext, timestamp, body).toString('base64url'),
  };
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string {
  const value = headers[name];
  if (typeof value !== 'string' || value.length === 0) throw new SignatureError(`missing ${name}`);
  return value;
}

/** The caller's context, if the headers sign this body recently enough; otherwise SignatureError. */
export function verifyRequest(
  key: Buffer,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  now: number = Date.now(),
): GovernanceContext {
  const encoded = header(headers, CONTEXT_HEADER);
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const signature = Buffer.from(header(headers, SIGNATURE_HEADER), 'base64url');
  if (!/^\d{1,15}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > SIGNATURE_WINDOW_MS) {
    throw new SignatureError('timestamp outside the signature window');
  }
  const expected = mac(key, encoded, timestamp, body);
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) throw new SignatureError('bad signature');
  return parseContext(encoded);
}

function parseContext(encoded: string): GovernanceContext {
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
