/**
 * Removes every field the caller may not see from an operation, before the
 * query planner sees it, so no subgraph is ever asked for it. Pure: the
 * decision for each coordinate comes from `decide`.
 *
 * A field is decided for each concrete type an object may have where it is
 * selected: `GridEvent.at` selected through the interface is `Visit.at` on a
 * visit and `Incident.at` on an incident. Where those decisions agree the
 * operation keeps its form; where some concrete types may not be asked for
 * the field, it is rewritten into one inline fragment per type that may
 * (`... on Incident { at }`), so a denied concrete-type field is never
 * fetched.
 *
 * The result also describes the response shape the client asked for, so
 * that after execution denied fields can be answered with null and an
 * error, and masked fields transformed (see apply-shape.ts).
 */
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { Decision } from './policy';
import { emptyShape, type Shape } from './shape';
import { withoutUnusedVariables } from './selection-edits';
import { SelectionFilter, type Decide, type FilterCheck, type IsPublic } from './selection-filter';

export { ReservedAliasError, type Decide, type FilterCheck, type IsPublic } from './selection-filter';

export interface FilteredOperation {
  document: DocumentNode;
  shape: Shape;
  /** The decision for every coordinate the operation selects. */
  decisions: ReadonlyMap<string, Decision>;
  /** Root mutation fields the caller may not call, each once. */
  forbiddenMutations: string[];
  /** Filter arguments that would reveal fields the caller may not see, if set. */
  filterChecks: FilterCheck[];
  /** The operation's variables, for applying their defaults. */
  variableDefinitions: readonly VariableDefinitionNode[];
  operationType: 'query' | 'mutation';
  operationName: string | null;
}

/**
 * Filters the chosen operation of a validated document. Returns null when
 * the document has no operation of that name (validation reports that).
 */
export function filterOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  decide: Decide,
  isPublic: IsPublic = () => true,
  reveals: ReadonlyMap<string, readonly string[]> = new Map(),
): FilteredOperation | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation || operation.operation === 'subscription') return null;
  const rootType = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!rootType) return null;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const filter = new SelectionFilter(schema, fragments, decide, operation.operation === 'mutation', isPublic, reveals);
  const shape = emptyShape(rootType.name);
  const selectionSet = filter.selectionSet(operation.selectionSet, rootType, shape, new Map([[rootType, shape]]), true);
  const filtered = withoutUnusedVariables({ ...operation, selectionSet });
  return {
    document: { kind: Kind.DOCUMENT, definitions: [filtered] },
    shape,
    decisions: filter.decisions(),
    forbiddenMutations: [...filter.forbiddenMutations],
    filterChecks: filter.filterChecks,
    variableDefinitions: operation.variableDefinitions ?? [],
    operationType: operation.operation,
    operationName: operation.name?.value ?? null,
  };
}
