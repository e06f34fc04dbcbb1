/**
 * The console's one GraphQL client: POST /graphql on this origin with the
 * steward's token and the purpose `supervision`, as every govgraph client
 * sends them. A GraphQL error becomes an ApiError carrying the server's
 * message and its extensions.code (INVALID_TRANSITION, FORBIDDEN_OPERATION,
 * BAD_USER_INPUT, ...), which the pages show as they are.
 *
 * The token lives in this tab only (sessionStorage): never localStorage,
 * never a cookie. Its claims are read here for the page's own use (who is
 * signed in, which department, which actions to offer); the gateway verifies
 * it on every request and decides for itself.
 */
const TOKEN_KEY = 'govgraph.console.token';
export const PURPOSE = 'supervision';

export class ApiError extends Error {
  constructor(
    message: string,
    /** The first error's extensions.code, if it had one; NETWORK when no answer came. */
    readonly code: string | undefined,
    /** Every message, when the server returned several. */
    readonly messages: string[] = [message],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export function storedToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function storeToken(token: string): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  catalogCache = undefined;
}

/**
 * POSTs one operation; resolves with its data, or throws an ApiError naming
 * the server's code. `options.token` asks with a token not yet kept (sign-in).
 */
export async function gql<T>(query: string, variables?: Record<string, unknown>, options: { token?: string } = {}): Promise<T> {
  const token = options.token ?? storedToken();
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-purpose': PURPOSE,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(variables ? { query, variables } : { query }),
    });
  } catch (error) {
    throw new ApiError(error instanceof Error ? error.message : String(error), 'NETWORK');
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await response.json()) as GraphQLResponse<T>;
  } catch {
    throw new ApiError(`HTTP ${response.status}`, `HTTP_${response.status}`);
  }
  if (body.errors && body.errors.length > 0) {
    const [first] = body.errors;
    throw new ApiError(
      first!.message,
      first!.extensions?.code,
      body.errors.map((error) => error.message),
    );
  }
  if (!body.data) throw new ApiError(`HTTP ${response.status}`, `HTTP_${response.status}`);
  return body.data;
}

/** What the token says of its holder: read in the browser for display only, never trusted by the gateway. */
export interface Claims {
  sub: string;
  name: string;
  department: string;
  roles: string[];
  areas: string[];
  /** The issuer (`iss`), when the token names one. */
  issuer?: string;
  /** Expiry, ms since the epoch, when the token has one. */
  expiresAt?: number;
}

/** The claims of a JWT's payload, or undefined if `token` is not a JWT carrying govgraph's claims. */
export function claimsOf(token: string): Claims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
    if (typeof claims.sub !== 'string' || typeof claims.department !== 'string') return undefined;
    return {
      sub: claims.sub,
      name: typeof claims.name === 'string' ? claims.name : claims.sub,
      department: claims.department,
      roles: strings(claims.roles),
      areas: strings(claims.areas),
      ...(typeof claims.iss === 'string' ? { issuer: claims.iss } : {}),
      ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp * 1000 } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The data authority: it reviews and coordinates, sees every request and the whole trail, and may revoke any grant. */
export const DATA_OFFICE = 'data-office';

// ---- The steward API's shapes, as the console selects them ----

export interface CatalogEntry {
  coordinate: string;
  owners: string[];
  sharing: 'UNCONDITIONAL' | 'CONDITIONAL' | 'NONE' | string;
  masker: string | null;
  roles: string[] | null;
}

export interface Grant {
  id: string;
  consumer: string;
  provider: string | null;
  requestId: string | null;
  fields: string[];
  purposes: string[];
  masked: string[];
  areas: string[] | null;
  validFrom: string;
  validUntil: string;
  active: boolean;
  revokedAt: string | null;
  revokedBy: string | null;
  revokedReason: string | null;
}

export const GRANT_FIELDS =
  'id consumer provider requestId fields purposes masked areas validFrom validUntil active revokedAt revokedBy revokedReason';

export interface DueDate {
  date: string;
  endsAt: string;
  estimated: boolean;
}

export interface SharingPart {
  provider: string;
  fields: string[];
  status: 'WAITING' | 'PENDING' | 'APPROVED' | 'REFUSED' | string;
  due: DueDate | null;
  overdue: boolean;
  grant: string | null;
}

export interface SharingStep {
  seq: number;
  at: string;
  actor: string;
  department: string | null;
  action: string;
  provider: string | null;
  reason: string | null;
  conditions: string | null;
  grant: string | null;
  requestId: string | null;
}

export interface SharingRequest {
  id: string;
  consumer: string;
  requestedBy: string;
  fields: string[];
  purposes: string[];
  masked: string[];
  areas: string[] | null;
  scenario: string;
  basis: string;
  validUntil: string;
  status: 'SUBMITTED' | 'RETURNED' | 'FORWARDED' | 'ANSWERED' | 'ESCALATED' | 'CLOSED' | string;
  createdAt: string;
  due: DueDate | null;
  overdue: boolean;
  parts: SharingPart[];
  history?: SharingStep[];
}

const DUE = 'due { date endsAt estimated }';
export const REQUEST_FIELDS = `id consumer requestedBy fields purposes masked areas scenario basis validUntil status createdAt ${DUE} overdue
  parts { provider fields status ${DUE} overdue grant }`;
export const REQUEST_DETAIL_FIELDS = `${REQUEST_FIELDS}
  history { seq at actor department action provider reason conditions grant requestId }`;

export interface AuditEvent {
  seq: number;
  at: string;
  requestId: string;
  sub: string | null;
  department: string | null;
  roles: string[];
  purpose: string | null;
  clientName: string | null;
  clientVersion: string | null;
  operationType: string | null;
  operationName: string | null;
  documentHash: string | null;
  decisions: { coordinate: string; decision: string; grant: string | null }[];
  subjects: { type: string; id: string }[];
  outcome: string;
  status: number;
  durationMs: number;
  clientRequestId: string | null;
  address: string | null;
  requestCount: number | null;
  steps: { action: string; request: string; provider: string | null; grant: string | null; reasonHash: string | null }[];
  hash: string;
}

export const AUDIT_EVENT_FIELDS = `seq at requestId sub department roles purpose clientName clientVersion operationType operationName documentHash
  decisions { coordinate decision grant } subjects { type id } outcome status durationMs clientRequestId address requestCount
  steps { action request provider grant reasonHash } hash`;

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

let catalogCache: Promise<CatalogEntry[]> | undefined;

/** The sharing catalogue, fetched once per signed-in token (it changes only with the supergraph). */
export function sharingCatalog(): Promise<CatalogEntry[]> {
  if (!catalogCache) {
    catalogCache = gql<{ sharingCatalog: CatalogEntry[] }>(
      'query SharingCatalog { sharingCatalog { coordinate owners sharing masker roles } }',
    ).then((data) => data.sharingCatalog);
    catalogCache.catch(() => (catalogCache = undefined));
  }
  return catalogCache;
}
