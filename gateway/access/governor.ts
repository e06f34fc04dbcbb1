/**
 * The access engine's face to the request path: for each request, the
 * operation Apollo may run and the sharing plan for its response; after
 * execution, the response shaped by that plan. Decisions come from the
 * per-class cache (operation-decisions.ts), per-request checks from
 * request-checks.ts. Pure of I/O: the schema, catalog, grants and maskers are
 * handed in.
 */
import type { DocumentNode, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { RequestRefusedError } from '../../common/errors';
import { applyShape } from './apply-shape';
import { estimateCost } from './cost';
import { placeUnavailableErrors } from './unavailable-paths';
import { assertGovernable } from './governable-schema';
import type { GrantSource } from './grants';
import type { Masker } from './maskers';
import { OperationDecisions, type DecisionCacheStats } from './operation-decisions';
import { OperationParser } from './parse-operation';
import type { Caller, Catalog, MaskerName } from './policy';
import { checkRequest, withDefaults } from './request-checks';
import type { SharingPlan } from './sharing-plan';

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
  /** The largest estimated cost (access/cost.ts) an operation of a caller with these roles may have. */
  costBudget?: (roles: readonly string[]) => number;
  /** A keyed, literal-free hash of an operation, for the audit record. */
  hashDocument?: (document: DocumentNode) => string;
}

/** The operation a request asks for, as its HTTP body carried it. */
export interface OperationRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
}

/** What Apollo runs for an admitted request: the filtered text and the plan for its response. */
export interface GovernedOperation {
  query: string;
  sharing: SharingPlan;
  /** The operation's estimated cost (0 when no budget applies): what it holds of its caller's work in flight. */
  cost: number;
}

/** The response as Apollo built it, shaped in place. */
export interface ExecutedResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/** Whose data a shaped response carries, for its audit record. */
export interface ShapedResponse {
  subjects: Map<string, Set<string>>;
  carriesNonPublic: boolean;
}

export class Governor {
  private schema: GraphQLSchema | undefined;
  private readonly parser: OperationParser;
  private readonly decisions: OperationDecisions;

  constructor(private readonly options: GovernorOptions) {
    this.parser = new OperationParser(options.cacheSize ?? 2000);
    this.decisions = new OperationDecisions(options);
  }

  /** Takes the API schema; UngovernableSchemaError when the engine cannot govern it under the catalog. */
  useSchema(apiSchema: GraphQLSchema): void {
    assertGovernable(apiSchema, this.options.catalog);
    this.schema = apiSchema;
    this.parser.clear();
    this.decisions.clear();
  }

  /**
   * The operation to run for this request, or undefined for an invalid one
   * (Apollo refuses it before anything runs). Throws RequestRefusedError to
   * refuse; OperationRefusedError carries what was decided.
   */
  govern(request: OperationRequest, caller: Caller, purpose: string): GovernedOperation | undefined {
    const schema = this.schema;
    // Fail closed: without the schema nothing can be decided, so nothing is executed.
    if (!schema) throw new RequestRefusedError(503, 'INTERNAL', 'The gateway is starting; try again shortly');
    const parsed = this.parser.parse(request.query, schema);
    if (!('document' in parsed)) return undefined;
    const cost = this.checkCost(schema, parsed.document, request, caller);
    const now = (this.options.clock ?? (() => new Date()))().toISOString();
    const operation = this.decisions.decide(schema, parsed.document, parsed.id, request.operationName, caller, purpose, now);
    const variables = withDefaults(schema, operation.variableDefinitions, request.variables);
    checkRequest(operation, variables, this.options.strict);
    const { shape, decisions, operationType, operationName, documentHash } = operation;
    const { query } = operation;
    return { query, cost, sharing: { shape, decisions, variables, operationType, operationName, documentHash, query } };
  }

  /** Refuses, before anything is planned, an operation whose estimated cost is over the caller's budget; else returns the estimate. */
  private checkCost(schema: GraphQLSchema, document: DocumentNode, request: OperationRequest, caller: Caller): number {
    if (!this.options.costBudget) return 0;
    const budget = this.options.costBudget(caller.roles);
    const estimate = estimateCost(schema, document, request.operationName, request.variables);
    if (estimate > budget) {
      throw new RequestRefusedError(
        400,
        'QUERY_TOO_COMPLEX',
        `The operation's estimated cost is ${estimate}, over the budget of ${budget} for the caller's roles: ask for fewer items (first), fewer aliases or a shallower selection`,
        { estimate, budget },
      );
    }
    return estimate;
  }

  /** How often a request reused the decisions of an earlier one of its caller class. */
  decisionCacheStats(): DecisionCacheStats {
    return this.decisions.stats();
  }

  /** Outages placed at their paths; nulls and errors for denied fields, masked values, placeholders removed; in place. */
  shapeResponse(result: ExecutedResult, sharing: SharingPlan): ShapedResponse {
    if (result.errors && this.schema) {
      result.errors = placeUnavailableErrors(result.data, result.errors, sharing.query, this.schema, this.options.catalog);
    }
    const { errors, subjects, carriesNonPublic } = applyShape(result.data, sharing.shape, sharing.variables, this.options.maskers);
    if (errors.length > 0) result.errors = [...(result.errors ?? []), ...errors];
    return { subjects, carriesNonPublic };
  }
}
