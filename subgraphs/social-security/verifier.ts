import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks that a call comes from the gateway, written from
 * docs/subgraph-protocol.md alone (its "What the subgraph checks, in this
 * order"), with node:crypto: it shares no code with the other departments'
 * verifier, to show the documented protocol is enough for a department on
 * any stack. The reason of a refusal is for the log; the caller is told only
 * 401.
 */

/** The caller the gateway vouches for (the protocol's "context"). */
export interface SignedContext {
  sub: string;
  department: string;
  roles: string[];
  /** Area-code prefixes of the caller's jurisdiction. */
  areas: string[];
  purpose: string;
  requestId: string;
}

export type Verdict = { accepted: true; context: SignedContext } | { accepted: false; reason: string };

/** Where accepted nonces are remembered: `accept` is false for a nonce already accepted. */
export interface NonceLedger {
  accept(nonce: string, rememberUntil: number): Promise<boolean>;
}

export interface VerifierOptions {
  /** This subgraph's name in the registry. */
  audience: string;
  /** This subgraph's own key under a master key id, or undefined for an id it does not hold. */
  keys: (keyId: string) => Buffer | undefined;
  nonces: NonceLedger;
  now?: () => number;
}

/** The five signed headers, in the order the protocol lists them. */
const HEADERS = ['x-govgraph-context', 'x-govgraph-timestamp', 'x-govgraph-nonce', 'x-govgraph-key-id', 'x-govgraph-signature'] as const;
const WINDOW_MS = 30_000;
/** Each nonce is remembered for twice the window past its timestamp: longer than that timestamp stays acceptable. */
const REMEMBER_MS = 2 * WINDOW_MS;

type Headers = Record<string, string | string[] | undefined>;

export function createVerifier(options: VerifierOptions): (headers: Headers, body: string) => Promise<Verdict> {
  const now = options.now ?? Date.now;
  return async (headers, body) => {
    const values = new Map<string, string>();
    for (const name of HEADERS) {
      const value = headers[name];
      if (typeof value !== 'string' || value === '') return refuse(`missing ${name}`);
      values.set(name, value);
    }
    const [context, timestamp, nonce, keyId, signature] = HEADERS.map((name) => values.get(name)!);
    if (!/^\d{1,15}$/.test(timestamp!) || Math.abs(now() - Number(timestamp)) > WINDOW_MS) {
      return refuse('timestamp outside the signature window');
    }
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce!)) return refuse('malformed nonce');
    if (!/^[A-Za-z0-9_-]+$/.test(context!)) return refuse('malformed context');
    const key = options.keys(keyId!);
    if (!key) return refuse('unknown key id');
    const expected = createHmac('sha256', key).update(`${options.audience}.${nonce}.${timestamp}.${context}.`).update(body).digest();
    const given = Buffer.from(signature!, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse('bad signature');
    // Only now, so that nobody can use up a nonce they could not have signed.
    if (!(await options.nonces.accept(nonce!, Number(timestamp) + REMEMBER_MS))) return refuse('replayed request');
    const decoded = decodeContext(context!);
    return decoded ? { accepted: true, context: decoded } : refuse('malformed context');
  };
}

function refuse(reason: string): Verdict {
  return { accepted: false, reason };
}

/** The context's JSON, with every member of the right type (further members ignored); undefined otherwise. */
function decodeContext(encoded: string): SignedContext | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Record<string, unknown>;
  const text = (member: unknown): member is string => typeof member === 'string';
  const texts = (member: unknown): member is string[] => Array.isArray(member) && member.every(text);
  if (!text(c.sub) || !text(c.department) || !texts(c.roles) || !texts(c.areas) || !text(c.purpose) || !text(c.requestId)) {
    return undefined;
  }
  return { sub: c.sub, department: c.department, roles: c.roles, areas: c.areas, purpose: c.purpose, requestId: c.requestId };
}
