import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { RequestRefusedError } from './errors';
import type { Logger } from './logger';

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
  admit(request: ReadRequest): Promise<Admission<TContext>>;
  /** Told of every request refused at the door (its status and code), e.g. to audit it. */
  refused?(req: IncomingMessage, status: number, code: string): void;
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
}

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
  /** Requests whose handler has not finished, with their responses. */
  const unanswered = new Map<IncomingMessage, ServerResponse>();
  let closing = false;
  const server = createServer((req, res) => {
    unanswered.set(req, res);
    if (closing) res.setHeader('connection', 'close');
    handle(options, req, res)
      .catch((error: unknown) => {
        options.logger.error({ err: error }, 'unhandled error in request handler');
        options.gate.refused?.(req, 500, 'INTERNAL');
        if (!res.headersSent) sendJson(res, 500, errorBody('INTERNAL', 'Internal server error'));
        else res.destroy();
      })
      .finally(() => unanswered.delete(req));
  });
  server.keepAliveTimeout = 65_000;
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
        if (new URL(req.url ?? '/', 'http://internal').pathname === GRAPHQL_PATH) options.gate.refused?.(req, 503, 'SHUTTING_DOWN');
      }
      unanswered.clear();
      server.closeAllConnections();
    },
  };
}

async function handle<TContext extends BaseContext>(
  options: HttpServiceOptions<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://internal');
  if (url.pathname === '/healthz' && req.method === 'GET') {
    return sendJson(res, 200, { status: 'ok' });
  }
  if (url.pathname === '/readyz' && req.method === 'GET') {
    const verdict = await options.isReady().catch(() => false);
    const { ready, details } = typeof verdict === 'boolean' ? { ready: verdict, details: {} } : verdict;
    return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...details });
  }
  if (url.pathname !== GRAPHQL_PATH) {
    return sendJson(res, 404, errorBody('BAD_USER_INPUT', `No route ${url.pathname}; the API is at ${GRAPHQL_PATH}`));
  }
  let admission: Admission<TContext> | undefined;
  try {
    const rawBody = await readBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY);
    const body = parseBody(req, rawBody);
    // The in-browser IDE (a GET without a query) needs no identity; everything else does.
    if (req.method !== 'GET' || url.searchParams.has('query')) admission = await options.gate.admit({ req, rawBody, body });
  } catch (error) {
    if (error instanceof HttpError) {
      options.gate.refused?.(req, error.status, error.code);
      return sendJson(res, error.status, errorBody(error.code, error.message));
    }
    if (error instanceof RequestRefusedError) {
      options.gate.refused?.(req, error.status, String(error.extensions.code));
      return sendJson(res, error.status, { errors: [{ message: error.message, extensions: error.extensions }] });
    }
    throw error;
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
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  if (req.method !== 'POST') return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'BAD_USER_INPUT', `Request body exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(req: IncomingMessage, text: string): unknown {
  if (req.method !== 'POST') return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('json')) return text;
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
