import { createHash } from 'node:crypto';
import { parse, print, validate, type DocumentNode, type GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { RequestRefusedError } from '../../common/errors';
import { applyShape, deniedCoordinates, type Shaped } from './apply-shape';
import { decideField, decideMutation } from './decide';
import { filterOperation, type Shape } from './filter-operation';
import type { GrantSource } from './grants';
import type { Masker } from './maskers';
import type { Caller, Catalog, Decision, MaskerName } from './policy';

/** What the gateway decided for one request, kept for shaping the response (and, later, the audit record). */
export interface RequestPlan {
  shape: Shape;
  decisions: ReadonlyMap<string, Decision>;
  variables: Record<string, unknown> | undefined;
  operationType: 'query' | 'mutation';
  operationName: string | null;
  documentHash: string | null;
}

interface Prepared {
  query: string;
  shape: Shape;
  decisions: ReadonlyMap<string, Decision>;
  forbiddenMutations: string[];
  operationType: 'query' | 'mutation';
  operationName: string | null;
  documentHash: string | null;
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
  grants: GrantSource;
  maskers: Record<MaskerName, Masker>;
  /** Refuse a whole operation that selects any denied field, instead of answering null there. */
  strict: boolean;
  clock?: () => Date;
  cacheSize?: number;
  /** A keyed, literal-free hash of an operation, for the audit record. */
  hashDocument?: (document: DocumentNode) => string;
}

/** A small LRU: Map keeps insertion order, so the first key is the least recently used. */
class Lru<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
  }
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
  private readonly documents: Lru<{ document: DocumentNode } | { errors: readonly GraphQLError[] }>;
  private readonly prepared: Lru<Prepared>;
  private readonly counts = { hits: 0, misses: 0 };

  constructor(private readonly options: GovernorOptions) {
    this.documents = new Lru(options.cacheSize ?? 2000);
    this.prepared = new Lru(options.cacheSize ?? 2000);
  }

  useSchema(apiSchema: GraphQLSchema): void {
    this.schema = apiSchema;
  }

  /** The body Apollo should execute, and the plan for shaping its response. Throws RequestRefusedError to refuse. */
  prepare(body: unknown, caller: Caller, purpose: string): { body: unknown; plan?: RequestPlan } {
    if (!this.schema || typeof body !== 'object' || body === null || Array.isArray(body)) return { body };
    const request = body as { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: Record<string, unknown> };
    // Persisted queries would let a hash stand in for text the gateway never saw: not accepted.
    const { persistedQuery: _persistedQuery, ...extensions } = request.extensions ?? {};
    if (typeof request.query !== 'string') return { body: { ...request, extensions } };
    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
    const parsed = this.parse(request.query);
    // An invalid operation is left to Apollo, which refuses it before anything runs.
    if (!('document' in parsed)) return { body };
    const { grants, version } = this.options.grants.current();
    const key = createHash('sha256')
      .update(`${request.query}\u0000${operationName ?? ''}\u0000${caller.department}\u0000${[...caller.roles].sort().join(',')}\u0000${purpose}\u0000${version}`)
      .digest('base64url');
    let prepared = this.prepared.get(key);
    if (prepared) this.counts.hits += 1;
    if (!prepared) {
      this.counts.misses += 1;
      const now = (this.options.clock ?? (() => new Date()))().toISOString();
      const { catalog } = this.options;
      const filtered = filterOperation(
        this.schema,
        parsed.document,
        operationName,
        (coordinate, kind) =>
          kind === 'mutation' ? decideMutation(catalog.get(coordinate), caller) : decideField(catalog.get(coordinate), caller, purpose, grants, now),
        (coordinate) => catalog.get(coordinate)?.sharing === 'UNCONDITIONAL',
      );
      if (!filtered) return { body };
      prepared = {
        query: print(filtered.document),
        shape: filtered.shape,
        decisions: filtered.decisions,
        forbiddenMutations: filtered.forbiddenMutations,
        operationType: filtered.operationType,
        operationName: filtered.operationName,
        documentHash: this.options.hashDocument?.(parsed.document) ?? null,
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
    const variables = typeof request.variables === 'object' && request.variables !== null ? (request.variables as Record<string, unknown>) : undefined;
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

  private parse(query: string): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
    const cached = this.documents.get(query);
    if (cached) return cached;
    let entry: { document: DocumentNode } | { errors: readonly GraphQLError[] };
    try {
      const document = parse(query);
      const errors = validate(this.schema!, document);
      entry = errors.length > 0 ? { errors } : { document };
    } catch (error) {
      entry = { errors: [error as GraphQLError] };
    }
    this.documents.set(query, entry);
    return entry;
  }
}
