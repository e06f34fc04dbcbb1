/**
 * Decisions cached per operation and caller class. Deciding every field of
 * an operation and filtering it is done once for each operation text,
 * operation name, department, set of roles, purpose and grant version; every
 * later request of that class reuses the result until a grant it relies on
 * ends. Nothing here depends on the person asking or on the request's
 * variables: those are checked per request (request-checks.ts).
 */
import { Kind, print, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type VariableDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { RequestRefusedError } from '../../common/errors';
import { decideInCatalog, decideMutation, grantCoversAreas } from './decide';
import { filterOperation, ReservedAliasError, type FilterCheck } from './filter-operation';
import type { Shape } from './shape';
import type { GrantSource } from './grants';
import type { OperationFacts } from './sharing-plan';
import type { Caller, Catalog, Decision, Grant } from './policy';

/** An operation as decided for one caller class: the filtered text Apollo runs, and what shapes its response. */
export interface DecidedOperation extends OperationFacts {
  operationType: 'query' | 'mutation';
  /** The filtered operation's text: denied fields removed. */
  query: string;
  shape: Shape;
  /** Root mutation fields the caller may not call. */
  forbiddenMutations: readonly string[];
  /** Filter arguments that would reveal fields the caller may not see, if a request sets them. */
  filterChecks: readonly FilterCheck[];
  variableDefinitions: readonly VariableDefinitionNode[];
  /** The earliest end of any grant these decisions rely on: after it, they are made again. */
  validUntil: string | null;
}

export interface DecisionSettings {
  catalog: Catalog;
  /** Filter input fields and the fields filtering by them reveals. */
  reveals?: ReadonlyMap<string, readonly string[]>;
  grants: GrantSource;
  /** A keyed, literal-free hash of an operation, for the audit record. */
  hashDocument?: (document: DocumentNode) => string;
  cacheSize?: number;
}

/** How often a request reused the decisions of an earlier one of its caller class. */
export interface DecisionCacheStats {
  hits: number;
  misses: number;
  size: number;
}

function earliestEnd(decisions: ReadonlyMap<string, Decision>, grants: readonly Grant[]): string | null {
  const used = new Set([...decisions.values()].flatMap((decision) => (decision.grant ? [decision.grant] : [])));
  const ends = grants.filter((grant) => used.has(grant.id)).map((grant) => grant.validUntil);
  return ends.length > 0 ? ends.sort()[0]! : null;
}

/** Why the document holds no operation the gateway runs: a subscription, a name it lacks, or several unnamed. */
function noSuchOperation(document: DocumentNode, operationName: string | undefined): RequestRefusedError {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const chosen = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  const message =
    chosen?.operation === 'subscription'
      ? 'Subscriptions are not served: send a query or a mutation'
      : operationName
        ? `The document has no operation named ${operationName}`
        : 'The document has several operations: name one in operationName';
  return new RequestRefusedError(400, 'BAD_USER_INPUT', message);
}

export class OperationDecisions {
  private readonly cache: LRUCache<string, DecidedOperation>;
  private hits = 0;
  private misses = 0;

  constructor(private readonly settings: DecisionSettings) {
    this.cache = new LRUCache({ max: settings.cacheSize ?? 2000 });
  }

  /**
   * The operation `documentId` names in `document`, decided for this caller
   * class at `now`. RequestRefusedError (BAD_USER_INPUT) for a reserved
   * alias or an operation the document does not hold.
   */
  decide(
    schema: GraphQLSchema,
    document: DocumentNode,
    documentId: string,
    operationName: string | undefined,
    caller: Caller,
    purpose: string,
    now: string,
  ): DecidedOperation {
    const { grants, version } = this.settings.grants.current();
    // The caller class as JSON: no department or role text can make two classes read alike.
    // Grants limited to areas split a class by which of them reach the caller; without any, areas do not matter.
    const byArea = grants
      .filter((grant) => grant.consumer === caller.department && grant.areas && grant.areas.length > 0 && grantCoversAreas(grant, caller))
      .map((grant) => grant.id);
    const key = JSON.stringify([documentId, operationName ?? '', caller.department, [...caller.roles].sort(), purpose, version, byArea]);
    const cached = this.cache.get(key);
    if (cached && (cached.validUntil === null || cached.validUntil > now)) {
      this.hits += 1;
      return cached;
    }
    this.misses += 1;
    const decided = this.decideAnew(schema, document, operationName, caller, purpose, grants, now);
    this.cache.set(key, decided);
    return decided;
  }

  stats(): DecisionCacheStats {
    return { hits: this.hits, misses: this.misses, size: this.cache.size };
  }

  /** Forgets every decision: a new schema may classify fields anew. */
  clear(): void {
    this.cache.clear();
  }

  private decideAnew(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | undefined,
    caller: Caller,
    purpose: string,
    grants: readonly Grant[],
    now: string,
  ): DecidedOperation {
    const { catalog, reveals, hashDocument } = this.settings;
    const decide = (coordinate: string, kind: 'query' | 'mutation'): Decision =>
      kind === 'mutation'
        ? decideMutation(catalog.get(coordinate), caller)
        : decideInCatalog(catalog, coordinate, caller, purpose, grants, now);
    const isPublic = (coordinate: string): boolean => catalog.get(coordinate)?.sharing === 'UNCONDITIONAL';
    let filtered;
    try {
      filtered = filterOperation(schema, document, operationName, decide, isPublic, reveals);
    } catch (error) {
      if (error instanceof ReservedAliasError) throw new RequestRefusedError(400, 'BAD_USER_INPUT', error.message);
      throw error;
    }
    // Fail closed: Apollo is never handed an operation the gateway has not filtered.
    if (!filtered) throw noSuchOperation(document, operationName);
    const { document: filteredDocument, ...rest } = filtered;
    return {
      ...rest,
      query: print(filteredDocument),
      documentHash: hashDocument?.(document) ?? null,
      validUntil: earliestEnd(filtered.decisions, grants),
    };
  }
}
