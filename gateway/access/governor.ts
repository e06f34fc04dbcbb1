import { hash } from 'node:crypto';
import {
  isInputType,
  parse,
  print,
  typeFromAST,
  validate,
  valueFromAST,
  type DocumentNode,
  type GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type VariableDefinitionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { RequestRefusedError } from '../../common/errors';
import { applyShape, deniedCoordinates, type Shaped } from './apply-shape';
import { LIMITS, operationDepth } from './complexity';
import { decideField, decideMutation } from './decide';
import { filterOperation, ReservedAliasError, type FilteredOperation, type Shape } from './filter-operation';
import type { GrantSource } from './grants';
import type { Masker } from './maskers';
import type { Caller, Catalog, Decision, Grant, MaskerName } from './policy';

/** What the gateway decided for one request, kept for shaping the response (and, later, the audit record). */
export interface RequestPlan {
  shape: Shape;
  decisions: ReadonlyMap<string, Decision>;
  variables: Record<string, unknown> | undefined;
  operationType: 'query' | 'mutation';
  operationName: string | null;
  documentHash: string | null;
}

/** A filtered operation as Apollo will receive it, with what the audit needs. */
interface Prepared extends Omit<FilteredOperation, 'document'> {
  query: string;
  documentHash: string | null;
  /** The earliest end of any grant these decisions rely on: after it, they are made again. */
  validUntil: string | null;
}

/** What the gateway knows of a request's operation before it runs (for the audit of a refusal). */
export interface OperationFacts {
  operationType: string | null;
  operationName: string | null;
  documentHash: string | null;
  decisions: ReadonlyMap<string, Decision>;
}

export class OperationRefusedError extends RequestRefusedError {
  constructor(
    status: number,
    code: 'FORBIDDEN_OPERATION' | 'FORBIDDEN_FIELD',
    message: string,
    readonly facts: OperationFacts,
  ) {
    super(status, code, message);
  }
}

export interface GovernorOptions {
  catalog: Catalog;
  /** Filter input fields and the fields filtering by them reveals. */
  reveals?: ReadonlyMap<string, readonly string[]>;
  grants: GrantSource;
  maskers: Record<MaskerName, Masker>;
  /** Refuse a whole operation that selects any denied field, instead of answering null there. */
  strict: boolean;
  clock?: () => Date;
  cacheSize?: number;
  /** A keyed, literal-free hash of an operation, for the audit record. */
  hashDocument?: (document: DocumentNode) => string;
}

/** A valid document carries the name its decisions are cached under: a serial number while it is cached, its hash otherwise. */
type ParsedEntry = { document: DocumentNode; id: string } | { errors: readonly GraphQLError[] } | { tooComplex: string };

const CACHED_QUERY_LENGTH = 10_000;

function earliestEnd(decisions: ReadonlyMap<string, Decision>, grants: readonly Grant[]): string | null {
  const used = new Set([...decisions.values()].flatMap((decision) => (decision.grant ? [decision.grant] : [])));
  const ends = grants.filter((grant) => used.has(grant.id)).map((grant) => grant.validUntil);
  return ends.length > 0 ? ends.sort()[0]! : null;
}

/** The client's variables with the operation's defaults filled in, as execution will see them. */
function withDefaults(schema: GraphQLSchema, definitions: readonly VariableDefinitionNode[], sent: Record<string, unknown>): Record<string, unknown> {
  const variables = { ...sent };
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    if (variables[name] !== undefined || !definition.defaultValue) continue;
    const type = typeFromAST(schema, definition.type);
    if (type && isInputType(type)) variables[name] = valueFromAST(definition.defaultValue, type);
  }
  return variables;
}

/**
 * Applies the sharing rules to each request: decides every field the
 * operation selects, hands Apollo an operation without the denied ones (so
 * the planner, and the plan cache, only ever see the filtered text), and
 * shapes the response. Decisions are cached per operation and caller class
 * (department, roles, purpose, grant version), never per person.
 */
export class Governor {
  private schema: GraphQLSchema | undefined;
  private readonly documents: LRUCache<string, ParsedEntry>;
  private readonly prepared: LRUCache<string, Prepared>;
  private readonly counts = { hits: 0, misses: 0 };
  private documentSerial = 0;

  constructor(private readonly options: GovernorOptions) {
    this.documents = new LRUCache({ max: options.cacheSize ?? 2000 });
    this.prepared = new LRUCache({ max: options.cacheSize ?? 2000 });
  }

  useSchema(apiSchema: GraphQLSchema): void {
    this.schema = apiSchema;
  }

  /** The body Apollo should execute, and the plan for shaping its response. Throws RequestRefusedError to refuse. */
  prepare(body: unknown, caller: Caller, purpose: string): { body: unknown; plan?: RequestPlan } {
    const schema = this.schema;
    // Fail closed: without the schema nothing can be decided, so nothing is executed.
    if (!schema) throw new RequestRefusedError(503, 'INTERNAL', 'The gateway is starting; try again shortly');
    // Whatever Apollo would reject is refused here, so that every refusal is audited like the others.
    if (Array.isArray(body)) throw new RequestRefusedError(400, 'BAD_USER_INPUT', 'Batched requests are not accepted: send one operation per request');
    if (typeof body !== 'object' || body === null) throw new RequestRefusedError(400, 'BAD_USER_INPUT', 'POST a JSON object with a query (Content-Type: application/json)');
    const request = body as { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: unknown };
    if (typeof request.query !== 'string' || request.query.length === 0) throw new RequestRefusedError(400, 'BAD_USER_INPUT', 'query must be a non-empty string');
    if (request.variables !== undefined && request.variables !== null && (typeof request.variables !== 'object' || Array.isArray(request.variables))) {
      throw new RequestRefusedError(400, 'BAD_USER_INPUT', 'variables must be an object');
    }
    if (request.operationName !== undefined && request.operationName !== null && typeof request.operationName !== 'string') {
      throw new RequestRefusedError(400, 'BAD_USER_INPUT', 'operationName must be a string');
    }
    // Persisted queries would let a hash stand in for text the gateway never saw: not accepted.
    const { persistedQuery: _persistedQuery, ...extensions } =
      typeof request.extensions === 'object' && request.extensions !== null ? (request.extensions as Record<string, unknown>) : {};
    const operationName = typeof request.operationName === 'string' && request.operationName !== '' ? request.operationName : undefined;
    if (request.query.length > LIMITS.maxQueryLength) {
      throw new RequestRefusedError(400, 'QUERY_TOO_COMPLEX', `The operation is longer than ${LIMITS.maxQueryLength} characters`);
    }
    const parsed = this.parse(request.query, schema);
    if ('tooComplex' in parsed) throw new RequestRefusedError(400, 'QUERY_TOO_COMPLEX', parsed.tooComplex);
    // An invalid operation is left to Apollo, which refuses it before anything runs.
    if (!('document' in parsed)) return { body };
    const { grants, version } = this.options.grants.current();
    // The caller class as JSON: no department or role text can make two classes read alike.
    const key = JSON.stringify([parsed.id, operationName ?? '', caller.department, [...caller.roles].sort(), purpose, version]);
    const now = (this.options.clock ?? (() => new Date()))().toISOString();
    let prepared = this.prepared.get(key);
    if (prepared && prepared.validUntil !== null && prepared.validUntil <= now) prepared = undefined;
    if (prepared) this.counts.hits += 1;
    if (!prepared) {
      this.counts.misses += 1;
      const { catalog } = this.options;
      const filtered = this.filter(() => filterOperation(
        schema,
        parsed.document,
        operationName,
        (coordinate, kind) =>
          kind === 'mutation' ? decideMutation(catalog.get(coordinate), caller) : decideField(catalog.get(coordinate), caller, purpose, grants, now),
        (coordinate) => catalog.get(coordinate)?.sharing === 'UNCONDITIONAL',
        this.options.reveals,
      ));
      // Fail closed: Apollo is never handed an operation the gateway has not filtered.
      if (!filtered) {
        throw new RequestRefusedError(400, 'BAD_USER_INPUT', operationName ? `The document has no operation named ${operationName}` : 'The document has several operations: name one in operationName');
      }
      const { document, ...rest } = filtered;
      prepared = {
        ...rest,
        query: print(document),
        documentHash: this.options.hashDocument?.(parsed.document) ?? null,
        validUntil: earliestEnd(filtered.decisions, grants),
      };
      this.prepared.set(key, prepared);
    }
    if (prepared.forbiddenMutations.length > 0) {
      throw new OperationRefusedError(403, 'FORBIDDEN_OPERATION', `Not permitted to call ${prepared.forbiddenMutations.join(', ')}`, prepared);
    }
    if (this.options.strict) {
      const denied = deniedCoordinates(prepared.shape);
      if (denied.length > 0) throw new OperationRefusedError(403, 'FORBIDDEN_FIELD', `Not permitted to see ${denied.join(', ')}`, prepared);
    }
    const sent = typeof request.variables === 'object' && request.variables !== null ? (request.variables as Record<string, unknown>) : {};
    const variables = withDefaults(schema, prepared.variableDefinitions, sent);
    for (const check of prepared.filterChecks) {
      const value = valueFromAST(check.argument.value, check.type, variables) as Record<string, unknown> | null | undefined;
      if (value && value[check.inputField] !== null && value[check.inputField] !== undefined) {
        throw new OperationRefusedError(403, 'FORBIDDEN_FIELD', `Not permitted to filter by ${check.coordinates.join(', ')}`, prepared);
      }
    }
    return {
      body: { ...request, query: prepared.query, extensions },
      plan: {
        shape: prepared.shape,
        decisions: prepared.decisions,
        variables,
        operationType: prepared.operationType,
        operationName: prepared.operationName,
        documentHash: prepared.documentHash,
      },
    };
  }

  /** How often a request reused the decisions of an earlier one of its caller class. */
  cacheStats(): { hits: number; misses: number } {
    return { ...this.counts };
  }

  /** Nulls and errors for denied fields, masked values, placeholders removed; in place. Returns whose data it carries. */
  shapeResponse(result: { data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] }, plan: RequestPlan): Omit<Shaped, 'errors'> {
    const { errors, subjects, carriesNonPublic } = applyShape(result.data, plan.shape, plan.variables, this.options.maskers);
    if (errors.length > 0) result.errors = [...(result.errors ?? []), ...errors];
    return { subjects, carriesNonPublic };
  }

  private filter<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof ReservedAliasError) throw new RequestRefusedError(400, 'BAD_USER_INPUT', error.message);
      throw error;
    }
  }

  private parse(query: string, schema: GraphQLSchema): ParsedEntry {
    const cached = this.documents.get(query);
    if (cached) return cached;
    let entry: ParsedEntry;
    try {
      const document = parse(query, { maxTokens: LIMITS.maxTokens });
      const errors = validate(schema, document);
      const depth = errors.length > 0 ? 0 : operationDepth(document);
      entry =
        errors.length > 0
          ? { errors }
          : depth > LIMITS.maxDepth
            ? { tooComplex: `The operation nests ${depth} levels deep; at most ${LIMITS.maxDepth} are allowed` }
            : { document, id: '' };
    } catch (error) {
      // graphql-js parses and validates recursively: a deep enough document overflows the stack.
      if (error instanceof RangeError) entry = { tooComplex: `The operation nests more than ${LIMITS.maxDepth} levels deep` };
      else if (/tokens/.test(String((error as Error).message))) entry = { tooComplex: `The operation has more than ${LIMITS.maxTokens} tokens` };
      else entry = { errors: [error as GraphQLError] };
    }
    // Only small documents are kept: the cache must not become a way to exhaust memory. A kept
    // document's decisions are cached under a serial number (no hash of its text per request); one
    // parsed again after eviction gets a new number, and its old entries age out of that cache.
    if (query.length <= CACHED_QUERY_LENGTH) {
      if ('document' in entry) entry.id = `#${(this.documentSerial += 1)}`;
      this.documents.set(query, entry);
    } else if ('document' in entry) {
      entry.id = hash('sha256', query, 'base64url');
    }
    return entry;
  }
}
