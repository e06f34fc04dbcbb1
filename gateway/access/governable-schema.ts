/**
 * What the access engine needs of a supergraph before it governs it,
 * checked when the gateway starts (and by composition), so that a schema it
 * cannot govern is refused naming the coordinate and the reason, never
 * answered with a 500 at request time:
 * - an interface field is classified as each of its implementations is
 *   (decisions are made per concrete type; the interface's classification is
 *   what the catalog shows for it, and must not promise otherwise);
 * - a masker is declared only where there is text to mask (String, ID or a
 *   custom scalar such as Date; not Int, Float, Boolean or an enum);
 * - no subscription root: the engine decides queries and mutations.
 */
import { buildSchema, getNamedType, isInterfaceType, isIntrospectionType, isObjectType, isScalarType, type GraphQLSchema } from 'graphql';
import { readCatalog } from './catalog';
import type { Catalog, FieldPolicy } from './policy';

export class UngovernableSchemaError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the access engine cannot govern this supergraph: ${problems.join('; ')}`);
  }
}

function sameClassification(a: FieldPolicy, b: FieldPolicy): boolean {
  return a.sharing === b.sharing && a.masker === b.masker && (a.roles ?? []).join() === (b.roles ?? []).join();
}

function describe(policy: FieldPolicy): string {
  const parts: string[] = [policy.sharing];
  if (policy.masker) parts.push(`masker ${policy.masker}`);
  if (policy.roles) parts.push(`roles ${policy.roles.join('/')}`);
  return parts.join(', ');
}

/** Every reason the engine cannot govern `schema` under `catalog`, each naming its coordinate. */
export function governabilityProblems(schema: GraphQLSchema, catalog: Catalog): string[] {
  const problems: string[] = [];
  if (schema.getSubscriptionType()) problems.push(`${schema.getSubscriptionType()!.name}: subscriptions are not governed`);
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const policy = catalog.get(coordinate);
      const named = getNamedType(field.type);
      // Maskers write text: a masked Int, Boolean or enum value would not be one any more.
      const maskable = isScalarType(named) && !['Int', 'Float', 'Boolean'].includes(named.name);
      if (policy?.masker && !maskable) {
        problems.push(`${coordinate} has masker ${policy.masker} but returns ${named.name}: only text can be masked`);
      }
    }
    if (!isInterfaceType(type)) continue;
    const { objects, interfaces } = schema.getImplementations(type);
    for (const field of Object.values(type.getFields())) {
      const expected = catalog.get(`${type.name}.${field.name}`);
      for (const implementation of [...objects, ...interfaces]) {
        const coordinate = `${implementation.name}.${field.name}`;
        const actual = catalog.get(coordinate);
        if (!expected && !actual) continue; // unclassified everywhere: denied, and listed as unclassified
        if (!expected) problems.push(`${type.name}.${field.name} is unclassified but ${coordinate} is ${describe(actual!)}`);
        else if (!actual) problems.push(`${coordinate} is unclassified but ${expected.coordinate} is ${describe(expected)}`);
        else if (!sameClassification(expected, actual)) {
          problems.push(`${coordinate} is ${describe(actual)} but ${expected.coordinate} is ${describe(expected)}`);
        }
      }
    }
  }
  return problems.sort();
}

export function assertGovernable(schema: GraphQLSchema, catalog: Catalog): void {
  const problems = governabilityProblems(schema, catalog);
  if (problems.length > 0) throw new UngovernableSchemaError(problems);
}

/**
 * Composition's check of a supergraph: every field classified (an
 * unclassified one would be denied to everyone), and nothing the engine
 * cannot govern.
 */
export function supergraphProblems(supergraphSdl: string): string[] {
  const { catalog, unclassified } = readCatalog(supergraphSdl);
  const schema = buildSchema(supergraphSdl, { assumeValidSDL: true });
  return [...unclassified.map((coordinate) => `${coordinate} is unclassified`), ...governabilityProblems(schema, catalog)];
}
