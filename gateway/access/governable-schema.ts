/**
 * The schema shapes the access engine can decide for. It decides fields of
 * object types; a field whose type is an interface or a union would be
 * selected through a type the engine cannot yet decide per concrete type.
 * Such a schema is refused when the gateway starts, naming the coordinate,
 * rather than failing each request that selects it.
 */
import { getNamedType, isAbstractType, isIntrospectionType, isObjectType, type GraphQLSchema } from 'graphql';

export class UngovernableSchemaError extends Error {
  constructor(readonly coordinates: readonly string[]) {
    super(
      `the access engine cannot govern ${coordinates.join(', ')}: ` +
        'fields returning an interface or a union are not decided per concrete type yet',
    );
  }
}

/** Every `Type.field` of the schema whose type is abstract. */
export function ungovernableCoordinates(schema: GraphQLSchema): string[] {
  const found: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type)) continue;
    if (isAbstractType(type)) {
      found.push(type.name);
      continue;
    }
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (isAbstractType(named)) found.push(`${type.name}.${field.name}`);
    }
  }
  return found.sort();
}

export function assertGovernable(schema: GraphQLSchema): void {
  const coordinates = ungovernableCoordinates(schema);
  if (coordinates.length > 0) throw new UngovernableSchemaError(coordinates);
}
