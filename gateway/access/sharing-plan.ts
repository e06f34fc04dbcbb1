/**
 * The sharing plan of a request: what the caller may see of its operation
 * and how, decided before the query planner runs and applied to the response
 * after execution. Not to be confused with Apollo's query plan, which says
 * which subgraph is asked for what.
 */
import type { Shape } from './shape';
import type { Decision } from './policy';

/** What was decided about an operation, as the audit record states it: ids and decisions, no values. */
export interface OperationFacts {
  operationType: 'query' | 'mutation' | null;
  operationName: string | null;
  /** A keyed, literal-free hash of the operation. */
  documentHash: string | null;
  /** The decision for every coordinate the operation selects. */
  decisions: ReadonlyMap<string, Decision>;
}

export interface SharingPlan extends OperationFacts {
  operationType: 'query' | 'mutation';
  /** The operation as it ran: the client's, less what was denied. */
  query: string;
  /** The response the client asked for: where to answer null, what to mask, whose data it is. */
  shape: Shape;
  /** The request's variables with the operation's defaults, for the @include/@skip of denied fields. */
  variables: Record<string, unknown>;
}
