/**
 * Edits the filter makes to a selection beyond removing denied fields: the
 * entity id the audit needs, and variable definitions left unused.
 */
import { Kind, visit, type FieldNode, type GraphQLObjectType, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { SUBJECT_KEY, type Shape } from './shape';

/**
 * Where non-public fields of an entity are returned, the audit must know
 * whose, if this caller may see the entity's id at all. When the client
 * asks for the id itself in this selection, unconditionally, its response
 * key says whose; otherwise the id is fetched under SUBJECT_KEY (and removed
 * from the response).
 */
export function withSubjectKey(set: SelectionSetNode, type: GraphQLObjectType, shape: Shape, maySeeId: () => boolean): SelectionSetNode {
  if (shape.subjectType || !type.getFields().id) return set;
  const nonPublic = [...shape.fields.values()].some((f) => f.kind !== 'deny' && !f.isPublic);
  if (!nonPublic || !maySeeId()) return set;
  shape.subjectType = type.name;
  const asked = set.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === 'id' && (s.directives ?? []).length === 0,
  );
  if (asked) {
    shape.subjectKey = asked.alias?.value ?? 'id';
    return set;
  }
  return {
    ...set,
    selections: [
      ...set.selections,
      { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: SUBJECT_KEY }, name: { kind: Kind.NAME, value: 'id' } },
    ],
  };
}

/** Variables the filtered operation no longer uses would fail validation: they go too. */
export function withoutUnusedVariables(operation: OperationDefinitionNode): OperationDefinitionNode {
  const used = new Set<string>();
  visit(operation.selectionSet, { Variable: (node) => void used.add(node.name.value) });
  for (const directive of operation.directives ?? []) visit(directive, { Variable: (node) => void used.add(node.name.value) });
  return { ...operation, variableDefinitions: (operation.variableDefinitions ?? []).filter((v) => used.has(v.variable.name.value)) };
}
