import {
  getNamedType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
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
 * fragments) over the data. A field the response does not carry (skipped,
 * or under a null parent) is not listed. Object types only: the graph has no
 * interfaces or unions, so a fragment's type condition is its parent's type.
 */
export function listCoordinateValues(schema: GraphQLSchema, document: DocumentNode, data: unknown): CoordinateValue[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const found: CoordinateValue[] = [];
  const walk = (type: GraphQLObjectType, selectionSet: SelectionSetNode, value: unknown): void => {
    if (Array.isArray(value)) return value.forEach((item) => walk(type, selectionSet, item));
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const fields = type.getFields();
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const field = Object.hasOwn(fields, selection.name.value) ? fields[selection.name.value] : undefined;
        if (!field || !Object.hasOwn(record, key)) continue;
        found.push({ coordinate: `${type.name}.${field.name}`, value: record[key] });
        const named = getNamedType(field.type);
        if (isObjectType(named) && selection.selectionSet) walk(named, selection.selectionSet, record[key]);
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      const condition = fragment?.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
      if (fragment && isObjectType(condition)) walk(condition, fragment.selectionSet, record);
    }
  };
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const root = schema.getQueryType();
  if (operation && root) walk(root, operation.selectionSet, data);
  return found;
}
