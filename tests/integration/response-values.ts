import {
  GraphQLBoolean,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  valueFromAST,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** One value a response carries, with the schema coordinate it answers (`Resident.birthDate`). */
export interface CoordinateValue {
  coordinate: string;
  value: unknown;
}

/**
 * Every field value in a response's data with its coordinate, found by
 * walking the operation's selections (aliases, inline fragments, named
 * fragments) over the data, leaving out what `@skip`/`@include` leave out
 * under `variables`. A field the response does not carry (skipped, or under a
 * null parent) is not listed.
 *
 * Coordinates are the concrete type's (`Visit.at`, not `GridEvent.at`): at
 * an interface or a union the object's type is read from any `__typename`
 * the operation selected there. An object whose type the response does not
 * say is not walked. `abstract` counts the objects at interfaces and unions
 * whose type was known, and those whose type was not.
 */
export function listCoordinateValues(
  schema: GraphQLSchema,
  document: DocumentNode,
  data: unknown,
  variables: Record<string, unknown> = {},
  abstract: { resolved: number; unknown: number } = { resolved: 0, unknown: 0 },
): CoordinateValue[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const found: CoordinateValue[] = [];
  /** A selection @skip/@include leave out is not in the response, whatever another selection of its key holds. */
  const included = (node: { directives?: readonly DirectiveNode[] }): boolean =>
    (node.directives ?? []).every((directive) => {
      const condition = directive.arguments?.find((arg) => arg.name.value === 'if');
      if (!condition || !['skip', 'include'].includes(directive.name.value)) return true;
      return valueFromAST(condition.value, GraphQLBoolean, variables) === (directive.name.value === 'include');
    });
  /** The response keys of every `__typename` selected in this set, fragments included. */
  const typenameKeys = (selectionSet: SelectionSetNode, keys: string[] = []): string[] => {
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__typename') keys.push(selection.alias?.value ?? '__typename');
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        if (fragment && included(fragment)) typenameKeys(fragment.selectionSet, keys);
      }
    }
    return keys;
  };
  const walkObject = (type: GraphQLObjectType, selectionSet: SelectionSetNode, record: Record<string, unknown>): void => {
    const fields = type.getFields();
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const field = Object.hasOwn(fields, selection.name.value) ? fields[selection.name.value] : undefined;
        if (!field || !Object.hasOwn(record, key)) continue;
        found.push({ coordinate: `${type.name}.${field.name}`, value: record[key] });
        const named = getNamedType(field.type);
        if (isCompositeType(named) && selection.selectionSet) walk(named, selection.selectionSet, record[key]);
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment || !included(fragment)) continue;
      const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
      const applies = condition === type || (!!condition && isAbstractType(condition) && schema.isSubType(condition, type));
      if (applies) walkObject(type, fragment.selectionSet, record);
    }
  };
  const walk = (type: GraphQLCompositeType, selectionSet: SelectionSetNode, value: unknown): void => {
    if (Array.isArray(value)) return value.forEach((item) => walk(type, selectionSet, item));
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (isObjectType(type)) return walkObject(type, selectionSet, record);
    const typename = typenameKeys(selectionSet)
      .map((key) => record[key])
      .find((name): name is string => typeof name === 'string');
    const concrete = typename ? schema.getType(typename) : undefined;
    if (isObjectType(concrete)) {
      abstract.resolved += 1;
      walkObject(concrete, selectionSet, record);
    } else {
      abstract.unknown += 1;
    }
  };
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const root = schema.getQueryType();
  if (operation && root) walk(root, operation.selectionSet, data);
  return found;
}
