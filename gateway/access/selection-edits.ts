/**
 * Edits the filter makes to an operation beyond removing denied fields: the
 * keys the gateway adds to learn whose data a response carries and which
 * concrete type an object has, fragments inlined, and variable definitions
 * left unused removed. Pure functions over graphql-js's AST.
 */
import {
  isInterfaceType,
  Kind,
  visit,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { needsWalk, SUBJECT_KEY, TYPE_KEY, type Shape } from './shape';

/** `alias: __typename`. */
export function typenameField(alias: string): FieldNode {
  return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: '__typename' } };
}

/** `... on Type { selections }`. */
export function onType(type: GraphQLObjectType, selections: readonly SelectionNode[]): InlineFragmentNode {
  return {
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: type.name } },
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
}

/** A field the client selected directly in this set, unconditionally: its response key is always there. */
function unconditional(set: SelectionSetNode, name: string): FieldNode | undefined {
  return set.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === name && (s.directives ?? []).length === 0);
}

/**
 * Where non-public fields of an entity are returned, the audit must know
 * whose, if this caller may see the entity's id at all. When the client
 * asks for the id itself in this selection, unconditionally, its response
 * key says whose; otherwise the id is fetched under SUBJECT_KEY (and
 * removed from the response). Objects a filter by a non-public field chose
 * (`selectedByFilter`) are subjects whatever fields of them are returned. Selected through an interface that has the
 * id, the key is asked for there, once for every type; through a union, by a
 * fragment on the type. Returns the selections to add.
 */
export function subjectKey(
  set: SelectionSetNode,
  type: GraphQLObjectType,
  shape: Shape,
  maySeeId: () => boolean,
  through: GraphQLCompositeType,
  selectedByFilter = false,
): SelectionNode[] {
  if (!type.getFields().id) return [];
  const nonPublic = selectedByFilter || [...shape.fields.values()].some((f) => f.kind !== 'deny' && !f.isPublic);
  if (!nonPublic || !maySeeId()) return [];
  shape.subjectType = type.name;
  const asked = unconditional(set, 'id');
  if (asked) {
    shape.subjectKeys = [asked.alias?.value ?? 'id'];
    return [];
  }
  shape.subjectKeys = [SUBJECT_KEY];
  // One key through the interface: Apollo's planner drops fields of an interface object's entities
  // beside a type-conditioned, aliased id.
  const direct = through === type || (isInterfaceType(through) && !!through.getFields().id);
  return [direct ? SUBJECT_KEY_FIELD : onType(type, [SUBJECT_KEY_FIELD])];
}

/** `__govgraph_key: id`; one node, so the same key asked for several types is recognised as one. */
export const SUBJECT_KEY_FIELD: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: SUBJECT_KEY },
  name: { kind: Kind.NAME, value: 'id' },
};

/**
 * At an interface or a union: the object's `__typename`, when its concrete
 * type decides how it is shaped (the client's own, if it asked for one
 * unconditionally). When no concrete type's shape changes anything, the
 * per-type shapes are dropped and nothing is added.
 */
export function typeKey(set: SelectionSetNode, shape: Shape): SelectionNode[] {
  const byType = shape.byType!;
  if (![...byType.shapes.values()].some(needsWalk)) {
    delete shape.byType;
    return [];
  }
  const asked = unconditional(set, '__typename');
  if (asked) {
    shape.byType = { ...byType, typeKeys: [asked.alias?.value ?? '__typename'] };
    return [];
  }
  return [typenameField(TYPE_KEY)];
}

/** A selection with every fragment spread in it replaced by the fragment's selections. */
export function inlineSpreads<T extends FieldNode | InlineFragmentNode>(
  node: T,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): T {
  if (!node.selectionSet) return node;
  const selections = node.selectionSet.selections.map((selection): SelectionNode => {
    if (selection.kind !== Kind.FRAGMENT_SPREAD) return inlineSpreads(selection, fragments);
    const definition = fragments.get(selection.name.value);
    if (!definition) throw new Error(`unknown fragment ${selection.name.value}`);
    return inlineSpreads<InlineFragmentNode>(spreadAsInline(selection.directives, definition), fragments);
  });
  return { ...node, selectionSet: { ...node.selectionSet, selections } };
}

/** A spread of `definition` as the inline fragment it stands for, the spread's directives first. */
export function spreadAsInline(directives: FieldNode['directives'], definition: FragmentDefinitionNode): InlineFragmentNode {
  return {
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: definition.typeCondition,
    directives: [...(directives ?? []), ...(definition.directives ?? [])],
    selectionSet: definition.selectionSet,
  };
}

/** Variables the filtered operation no longer uses would fail validation: they go too. */
export function withoutUnusedVariables(operation: OperationDefinitionNode): OperationDefinitionNode {
  const used = new Set<string>();
  visit(operation.selectionSet, { Variable: (node) => void used.add(node.name.value) });
  for (const directive of operation.directives ?? []) visit(directive, { Variable: (node) => void used.add(node.name.value) });
  return { ...operation, variableDefinitions: (operation.variableDefinitions ?? []).filter((v) => used.has(v.variable.name.value)) };
}
