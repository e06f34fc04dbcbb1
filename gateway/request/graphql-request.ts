/**
 * The body of a GraphQL request over HTTP, checked for shape before any
 * policy sees it. Whatever Apollo would reject is refused here instead, so
 * that every refusal is audited like the others.
 */
import { RequestRefusedError } from '../../common/errors';

export interface GraphQLRequestBody {
  query: string;
  /** Absent or empty in the body: the document's only operation. */
  operationName: string | undefined;
  variables: Record<string, unknown>;
  /** The client's extensions, less any persisted-query hash. */
  extensions: Record<string, unknown>;
}

function refuse(message: string): never {
  throw new RequestRefusedError(400, 'BAD_USER_INPUT', message);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request a body carries; RequestRefusedError (400, BAD_USER_INPUT) naming what is wrong otherwise. */
export function readGraphQLRequest(body: unknown): GraphQLRequestBody {
  if (Array.isArray(body)) refuse('Batched requests are not accepted: send one operation per request');
  if (!isPlainObject(body)) refuse('POST a JSON object with a query (Content-Type: application/json)');
  const { query, operationName, variables, extensions } = body;
  if (typeof query !== 'string' || query.length === 0) refuse('query must be a non-empty string');
  if (variables !== undefined && variables !== null && !isPlainObject(variables)) refuse('variables must be an object');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') refuse('operationName must be a string');
  // A persisted-query hash would let a hash stand in for text the gateway never saw: dropped.
  const { persistedQuery: _persistedQuery, ...kept } = isPlainObject(extensions) ? extensions : {};
  return {
    query,
    operationName: typeof operationName === 'string' && operationName !== '' ? operationName : undefined,
    variables: isPlainObject(variables) ? variables : {},
    extensions: kept,
  };
}

/** The body Apollo executes: the client's request with the gateway's filtered operation text. */
export function toExecutedBody(body: unknown, request: GraphQLRequestBody, query: string): Record<string, unknown> {
  return { ...(body as Record<string, unknown>), query, extensions: request.extensions };
}
