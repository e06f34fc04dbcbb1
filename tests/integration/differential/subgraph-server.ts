/**
 * One test subgraph on a real HTTP server on a free port: POST a GraphQL
 * request, get graphql-js's answer. It ignores govgraph's signing headers
 * (they only tell a department's subgraph who is asking). Every request
 * received can be handed to `onRequest` with the X-Request-Id it carried:
 * govgraph passes a client's own request id on to the subgraphs it asks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { SubgraphFixture } from './fixture';
import { withSharing } from './sharing';

/** One request a subgraph received, as it arrived. */
export interface ReceivedRequest {
  subgraph: string;
  /** The X-Request-Id header, when there was one. */
  requestId: string | undefined;
  body: string;
}

export interface RunningTestSubgraph {
  name: string;
  url: string;
  stop(): Promise<void>;
}

function formatErrors(errors: readonly GraphQLError[]) {
  return errors.map((error) => error.toJSON());
}

async function answer(schema: GraphQLSchema, body: string): Promise<{ status: number; result: unknown }> {
  let request: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    request = JSON.parse(body) as typeof request;
  } catch {
    return { status: 400, result: { errors: [{ message: 'body is not JSON' }] } };
  }
  if (typeof request.query !== 'string') return { status: 400, result: { errors: [{ message: 'no query' }] } };
  let document;
  try {
    document = parse(request.query);
  } catch (error) {
    return { status: 400, result: { errors: formatErrors([error as GraphQLError]) } };
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return { status: 400, result: { errors: formatErrors(invalid) } };
  const result = await execute({
    schema,
    document,
    variableValues: (request.variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
  });
  return { status: 200, result: { ...result, ...(result.errors ? { errors: formatErrors(result.errors) } : {}) } };
}

export async function startTestSubgraph(
  fixture: SubgraphFixture,
  onRequest?: (request: ReceivedRequest) => void,
): Promise<RunningTestSubgraph> {
  const schema = buildSubgraphSchema({ typeDefs: withSharing(fixture.sdl), resolvers: fixture.resolvers });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const requestId = req.headers['x-request-id'];
      onRequest?.({ subgraph: fixture.name, requestId: typeof requestId === 'string' ? requestId : undefined, body });
      answer(schema, body).then(
        ({ status, result }) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
        () => res.writeHead(500).end(),
      );
    });
  });
  // Idle sockets outlive the gateways' pooled ones, so a reused socket is never closed under a client.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: fixture.name,
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
