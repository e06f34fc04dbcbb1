import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type InlineFragmentNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The static cost of an operation, estimated before anything is planned or
 * fetched: how many fields it makes the departments resolve, each field once
 * per object it is resolved on. The number of objects a list holds is its
 * `first` argument where it has one (a connection's `nodes` and `edges` take
 * their connection's), and otherwise the size the cost model assumes for it
 * (`LIST_SIZES`, or DEFAULT_LIST_SIZE). A field that takes arguments, and a
 * connection's `totalCount`, cost more than other fields: each is a query of
 * its own in its subgraph.
 * Aliases are counted one by one, fragments where they are spread.
 */
export const DEFAULT_LIST_SIZE = 20;

/** Plain lists (no `first`) whose size is known better than the default; at most that many in practice or by the subgraph's own bound. */
export const LIST_SIZES: Readonly<Record<string, number>> = {
  'Household.members': 10,
  'Resident.benefits': 5,
  'Resident.petitions': 5,
  'Resident.visits': 20,
  'Resident.pensions': 12,
  'Resident.socialSecurityRecords': 13,
  'GridCell.children': 30,
  'GridWorker.cells': 5,
  'Petition.history': 10,
};

const FIELD_WEIGHT = 1;
/** A field with arguments: a lookup, a search or a count of its own in its subgraph. */
const QUERY_WEIGHT = 10;

interface Walk {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** Where a fragment is being expanded, to refuse a cycle instead of looping (validation refuses them too). */
  expanding: Set<string>;
}

function argumentValue(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode, name: string): unknown {
  const argument = field.args.find((arg) => arg.name === name);
  if (!argument) return undefined;
  const given = node.arguments?.find((arg) => arg.name.value === name);
  if (!given) return argument.defaultValue;
  return valueFromAST(given.value, argument.type, walk.variables);
}

/** The number of objects a list field holds, by its own `first`, its connection's, or the model's assumption. */
function listSize(coordinate: string, first: unknown, connectionFirst: number | undefined): number {
  if (typeof first === 'number' && Number.isFinite(first) && first >= 0) return first;
  if (connectionFirst !== undefined) return connectionFirst;
  return LIST_SIZES[coordinate] ?? DEFAULT_LIST_SIZE;
}

function selectionCost(
  walk: Walk,
  selections: SelectionSetNode,
  type: GraphQLCompositeType,
  times: number,
  connectionFirst: number | undefined,
): number {
  let total = 0;
  for (const selection of selections.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD || selection.kind === Kind.INLINE_FRAGMENT) {
      const spread = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : undefined;
      const fragment: InlineFragmentNode | FragmentDefinitionNode | undefined =
        selection.kind === Kind.INLINE_FRAGMENT ? selection : walk.fragments.get(selection.name.value);
      if (!fragment || (spread !== undefined && walk.expanding.has(spread))) continue;
      if (spread !== undefined) walk.expanding.add(spread);
      const fragmentOn = fragmentType(walk, fragment.typeCondition?.name.value, type);
      total += selectionCost(walk, fragment.selectionSet, fragmentOn, times, connectionFirst);
      if (spread !== undefined) walk.expanding.delete(spread);
    } else {
      total += fieldCost(walk, selection, type, times, connectionFirst);
    }
  }
  return total;
}

function fragmentType(walk: Walk, condition: string | undefined, type: GraphQLCompositeType): GraphQLCompositeType {
  const named = condition ? walk.schema.getType(condition) : undefined;
  return named && isCompositeType(named) ? named : type;
}

function fieldCost(walk: Walk, node: FieldNode, type: GraphQLCompositeType, times: number, connectionFirst: number | undefined): number {
  const name = node.name.value;
  if (name === '__typename') return 0;
  const field = 'getFields' in type ? type.getFields()[name] : undefined;
  // Introspection (`__schema`, `__type`) is answered by the gateway from the schema: one field.
  if (!field) return times;
  // A connection's totalCount is a count of its own in its subgraph.
  const isQuery = field.args.length > 0 || (name === 'totalCount' && type.name.endsWith('Connection'));
  const own = times * (isQuery ? QUERY_WEIGHT : FIELD_WEIGHT);
  if (!node.selectionSet) return own;
  const named = getNamedType(field.type);
  if (!isCompositeType(named)) return own;
  const first = argumentValue(walk, field, node, 'first');
  const returnsList = isListType(getNullableType(field.type));
  const size = returnsList ? listSize(`${type.name}.${name}`, first, connectionFirst) : 1;
  // A connection hands its `first` to its `nodes` and `edges`; anything else starts afresh.
  const handed = !returnsList && typeof first === 'number' && isObjectType(named) ? first : undefined;
  return own + selectionCost(walk, node.selectionSet, named, times * size, handed);
}

/** The estimate for the operation `operationName` (or the only one) of a valid document. */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): number {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  const walk: Walk = {
    schema,
    fragments: new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : []))),
    variables,
    expanding: new Set(),
  };
  return selectionCost(walk, operation.selectionSet, root, 1, undefined);
}
