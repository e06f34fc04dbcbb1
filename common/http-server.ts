import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { RateLimitedError, RequestRefusedError } from './errors';
import type { WebPages } from './web-pages';
import type { Logger } from './logger';
import { operationNameIn, type RequestTrace, type Tracing } from './tracing';

/**
 * Serves an Apollo Server on plain node:http, next to the health probes.
 * Apollo Server 5 leaves the HTTP layer to the integration; this one is
 * small enough to own, and it is the single door every request walks through.
 */

/** A request as the door read it: its raw body, and that body parsed when it is JSON. */
export interface ReadRequest {
  req: IncomingMessage;
  rawBody: string;
  body: unknown;
}

/** What a gate lets through: the context the request executes in, and the body Apollo executes. */
export interface Admission<TContext> {
  context: TContext;
  body: unknown;
}

/**
 * The one extension point of the door: the service decides here who is
 * asking and what may run. Throwing RequestRefusedError answers the request
 * with that status before any GraphQL work is done.
 */
export interface RequestGate<TContext> {
  /**
   * Before the body is read: who is asking, and whether they may ask now.
   * `identified` is false only for the IDE's page (a GET without a query),
   * which needs no identity.
   */
  screen?(req: IncomingMessage, identified: boolean): Promise<void>;
  admit(request: ReadRequest): Promise<Admission<TContext>>;
  /** The id the gateway gave the request, sent back as X-Request-Id. */
  requestId?(req: IncomingMessage): string;
  /** Told once of every request to the API when it is over: its status, and the code if it was refused or failed. */
  finished?(req: IncomingMessage, status: number, code: string | undefined): void;
  /** Told of a connection whose request the HTTP parser refused before it could be read (malformed, too large, too slow). */
  unread?(peerAddress: string | undefined, status: number): void;
}

/** A gate that only builds the context from the request and its raw body, and lets the body through as sent. */
export function contextGate<TContext>(context: (req: IncomingMessage, rawBody: string) => Promise<TContext>): RequestGate<TContext> {
  return { admit: async ({ req, rawBody, body }) => ({ context: await context(req, rawBody), body }) };
}

export interface HttpServiceOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  gate: RequestGate<TContext>;
  /** Whether the service can do its work; a Readiness also says what was found, in the /readyz body. */
  isReady: () => Promise<boolean | Readiness>;
  port: number;
  host?: string;
  logger: Logger;
  /** Maximum accepted request body, bytes. */
  maxBodyBytes?: number;
  /** How long the request line and headers, and then the body, may take to arrive. */
  readTimeouts?: ReadTimeouts;
  /** The browser pages (the IDE at GET /graphql, the console, their assets). */
  pages?: WebPages;
  /** Other GET routes of the service (the sandbox's sample identities); true when one answered. */
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
  /** Origins whose browser apps may call the API (exact `scheme://host[:port]`); none by default. */
  corsOrigins?: readonly string[];
  /** Traces each request to the API as a SERVER span (docs/operations.md#traces); none when tracing is off. */
  tracing?: Tracing;
}

export interface ReadTimeouts {
  headersMs: number;
  bodyMs: number;
}

const DEFAULT_READ_TIMEOUTS: ReadTimeouts = { headersMs: 10_000, bodyMs: 10_000 };

/** A readiness verdict with what it rests on (JSON), shown in the /readyz body beside the status. */
export interface Readiness {
  ready: boolean;
  details: Record<string, unknown>;
}

export interface RunningHttpService {
  url: string;
  port: number;
  /**
   * Stops accepting connections and resolves once every one has closed:
   * requests in flight are answered first, each on a connection closed after
   * its answer (a kept-alive one would otherwise stay open for a minute).
   */
  close(): Promise<void>;
  /**
   * Ends every connection still open, in the middle of a request or not
   * (at a shutdown deadline). Each GraphQL request not answered yet is first
   * told to the gate as refused with 503, so that it is audited although its
   * handler may never finish.
   */
  closeAllConnections(): void;
}

const GRAPHQL_PATH = '/graphql';
const DEFAULT_MAX_BODY = 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function listenHttp<TContext extends BaseContext>(options: HttpServiceOptions<TContext>): Promise<RunningHttpService> {
  const timeouts = options.readTimeouts ?? DEFAULT_READ_TIMEOUTS;
  // Sockets whose request reached the handler: the handler answers and accounts for those, not the parser's error path.
  const handling = new WeakSet<Socket>();
  /** Requests whose handler has not finished, with their responses. */
  const unanswered = new Map<IncomingMessage, ServerResponse>();
  let closing = false;
  // Read timeouts are checked this often: a header timeout of 10 s is enforced within 11 s.
  const server = createServer({ connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs) }, (req, res) => {
    handling.add(req.socket);
    unanswered.set(req, res);
    if (closing) res.setHeader('connection', 'close');
    handle(options, timeouts, req, res)
      .catch((error: unknown) => {
        // handle() answers every failure of a request itself; this is the last guard, so that no request can end the process.
        options.logger.error({ err: error }, 'unhandled error in request handler');
        if (!res.headersSent) sendJson(res, 500, errorBody('INTERNAL', 'Internal server error'));
        else res.destroy();
      })
      .finally(() => {
        handling.delete(req.socket);
        unanswered.delete(req);
      });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = timeouts.headersMs;
  // A backstop only: the handler gives up on a slow body itself, and answers it.
  server.requestTimeout = timeouts.headersMs + timeouts.bodyMs + 5_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => refuseUnread(options, handling, error, socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host}:${port}${GRAPHQL_PATH}`,
    port,
    close: () => {
      closing = true;
      for (const res of unanswered.values()) if (!res.headersSent) res.setHeader('connection', 'close');
      return closeServer(server);
    },
    closeAllConnections: () => {
      for (const req of unanswered.keys()) {
        if (new URL(req.url ?? '/', 'http://internal').pathname !== GRAPHQL_PATH) continue;
        options.gate.finished?.(req, 503, 'SHUTTING_DOWN');
        options.tracing?.requestOf(req)?.end(503, 'SHUTTING_DOWN');
      }
      unanswered.clear();
      server.closeAllConnections();
    },
  };
}

/** The status a parser error is answered with; none for a connection that merely went away. */
function unreadStatus(code: string | undefined): number | undefined {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (code?.startsWith('HPE_')) return 400;
  return undefined;
}

/** A request the parser could not read (malformed, headers too large, too slow): answered and reported, then closed. */
function refuseUnread<TContext extends BaseContext>(
  options: HttpServiceOptions<TContext>,
  handling: WeakSet<Socket>,
  error: NodeJS.ErrnoException,
  socket: Socket,
): void {
  const status = unreadStatus(error.code);
  if (status === undefined || handling.has(socket) || !socket.writable) {
    socket.destroy();
    return;
  }
  options.gate.unread?.(socket.remoteAddress, status);
  const text = JSON.stringify(errorBody('BAD_USER_INPUT', unreadMessage(status)));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

function unreadMessage(status: number): string {
  if (status === 431) return 'Request headers are too large';
  if (status === 408) return 'Request headers were not received in time';
  return 'Malformed HTTP request';
}

async function handle<TContext extends BaseContext>(
  options: HttpServiceOptions<TContext>,
  timeouts: ReadTimeouts,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = requestUrl(req.url);
  if (!url) return sendJson(res, 400, errorBody('BAD_USER_INPUT', 'The request target is not a valid URL'));
  if (url.pathname === '/healthz' && req.method === 'GET') {
    return sendJson(res, 200, { status: 'ok' });
  }
  if (url.pathname === '/readyz' && req.method === 'GET') {
    const verdict = await options.isReady().catch(() => false);
    const { ready, details } = typeof verdict === 'boolean' ? { ready: verdict, details: {} } : verdict;
    return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...details });
  }
  if (url.pathname !== GRAPHQL_PATH) {
    if (options.pages?.serve(req, res, url.pathname) || options.routes?.(req, res, url)) return;
    return sendJson(res, 404, errorBody('BAD_USER_INPUT', `No route ${url.pathname}; the API is at ${GRAPHQL_PATH}`));
  }
  const trace = options.tracing?.startRequest(req, GRAPHQL_PATH);
  let code: string | undefined;
  try {
    code = await serveApi(options, timeouts, req, res, url, trace);
  } catch (error) {
    options.logger.error({ err: error }, 'unhandled error in request handler');
    code = 'INTERNAL';
    if (!res.headersSent) sendJson(res, 500, errorBody('INTERNAL', 'Internal server error'));
    else res.destroy();
  } finally {
    const status = code === 'INTERNAL' ? 500 : res.statusCode;
    // The gate first: it may say more of the request's trace than its status does.
    options.gate.finished?.(req, status, code);
    trace?.end(status, code);
  }
}

/** One request to the API, from its headers to its answer; resolves with the code when it was refused at the door. */
async function serveApi<TContext extends BaseContext>(
  options: HttpServiceOptions<TContext>,
  timeouts: ReadTimeouts,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  trace: RequestTrace | undefined,
): Promise<string | undefined> {
  const requestId = options.gate.requestId?.(req);
  if (requestId) res.setHeader('x-request-id', requestId);
  const origins = options.corsOrigins ?? [];
  const preflight = req.method === 'OPTIONS';
  markCors(origins, req, res);
  // The in-browser IDE (a GET without a query) and a CORS preflight need no identity; everything else does.
  const identified = !preflight && (req.method !== 'GET' || url.searchParams.has('query'));
  let admission: Admission<TContext> | undefined;
  let bodyRead = false;
  try {
    await options.gate.screen?.(req, identified);
    if (preflight) return answerPreflight(origins, req, res);
    if (!identified && options.pages && acceptsHtml(req.headers.accept)) {
      options.pages.ide(req, res);
      return undefined;
    }
    if (identified && !acceptsJson(req.headers.accept)) {
      throw new HttpError(406, 'BAD_USER_INPUT', 'The Accept header must allow application/json or application/graphql-response+json');
    }
    const rawBody = await readBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY, timeouts.bodyMs);
    bodyRead = true;
    const body = parseBody(req, rawBody);
    if (identified) admission = await options.gate.admit({ req, rawBody, body });
    if (trace?.recording && admission) trace.noteOperationName(operationNameIn(admission.body));
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    // A body left unread would be taken for the next request on this connection: the connection goes.
    if (!bodyRead) res.setHeader('connection', 'close');
    if (error instanceof RateLimitedError) res.setHeader('retry-after', String(error.retryAfterSeconds));
    sendJson(res, refusal.status, refusal.body);
    return refusal.code;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: admission?.body },
    context: async () => {
      if (!admission) throw new RequestRefusedError(400, 'BAD_USER_INPUT', 'A GET request must carry a query');
      return admission.context;
    },
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return undefined;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
  return undefined;
}

const CORS_HEADERS = 'authorization, content-type, x-purpose, x-request-id, apollographql-client-name, apollographql-client-version';

/**
 * CORS for browser apps on other origins, allowed one origin at a time: an
 * allowed origin's requests get Access-Control-Allow-Origin (refusals
 * included, so the app can read them). No cookies are involved (tokens are
 * bearer headers), so credentials are never allowed.
 */
function markCors(origins: readonly string[], req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  res.setHeader('vary', 'Origin');
  if (!origins.includes(origin)) return;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
}

/**
 * A preflight (OPTIONS, which carries no token, held to its address's rate
 * like any request): 204 naming what an allowed origin may send; 403 with
 * no CORS header for any other, so the browser sends nothing. Returns its
 * code, for the request's record.
 */
function answerPreflight(origins: readonly string[], req: IncomingMessage, res: ServerResponse): string {
  const origin = req.headers.origin;
  if (origin === undefined || !origins.includes(origin)) {
    sendJson(res, 403, errorBody('FORBIDDEN_OPERATION', 'This origin may not call the API from a browser'));
    return 'CORS_REFUSED';
  }
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST',
    'access-control-allow-headers': CORS_HEADERS,
    'access-control-max-age': '600',
  });
  res.end();
  return 'CORS_PREFLIGHT';
}

/** The request's target as a URL, or undefined when it is none (Node's parser lets `GET http://[` through). */
function requestUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://internal');
  } catch {
    return undefined;
  }
}

/** Whether a browser asks for a page (Accept names text/html). */
function acceptsHtml(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((range) => range.split(';')[0]!.trim().toLowerCase() === 'text/html');
}

/** Media types an answer can be sent as, and the ranges that take them. */
const JSON_RANGES = new Set(['*/*', 'application/*', 'application/json', 'application/graphql-response+json']);

/**
 * Whether a client takes a JSON answer: no Accept header, or a range that
 * covers JSON without `q=0`. Checked before the operation runs, so that an
 * answer the client cannot take is never fetched (Apollo checks it only
 * after executing).
 */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    return JSON_RANGES.has(type!) && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/** A refusal at the door as its status, code and body; undefined for any other error. */
function refusalOf(error: unknown): { status: number; code: string; body: object } | undefined {
  if (error instanceof HttpError) return { status: error.status, code: error.code, body: errorBody(error.code, error.message) };
  if (error instanceof RequestRefusedError) {
    const code = String(error.extensions.code);
    return { status: error.status, code, body: { errors: [{ message: error.message, extensions: error.extensions }] } };
  }
  return undefined;
}

/**
 * The body of a POST, as text: refused with 413 past `limit` bytes (at once
 * when Content-Length says so), and with 408 when it has not all arrived
 * within `timeoutMs`.
 */
function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<string> {
  if (req.method !== 'POST') return Promise.resolve('');
  const tooLarge = new HttpError(413, 'BAD_USER_INPUT', `Request body exceeds ${limit} bytes`);
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: HttpError | undefined) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      if (error) {
        req.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) settle(tooLarge);
      else chunks.push(chunk);
    };
    const onEnd = () => settle(undefined);
    // The client went away before sending the whole body; nobody reads the answer, but the request is still accounted for.
    const onClose = () => settle(new HttpError(400, 'BAD_USER_INPUT', 'The connection closed before the request body was complete'));
    const timer = setTimeout(
      () => settle(new HttpError(408, 'BAD_USER_INPUT', `Request body was not received within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    req.on('data', onData).on('end', onEnd).on('close', onClose);
  });
}

function parseBody(req: IncomingMessage, text: string): unknown {
  if (req.method !== 'POST') return undefined;
  // By the media type alone: `text/plain; x=json` is plain text, which browsers send across origins without asking.
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) return text;
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'BAD_USER_INPUT', 'Request body is not valid JSON');
  }
}

function errorBody(code: string, message: string): object {
  return { errors: [{ message, extensions: { code } }] };
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
