import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Catalog } from './policy';

type Path = (string | number)[];

/** Paths placed per failed subgraph at most; past that the one error without a path stays. */
const MAX_PATHS = 100;

interface Walk {
  schema: GraphQLSchema;
  catalog: Catalog;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  failed: ReadonlySet<string>;
  found: Map<string, { subgraph: string; path: Path }>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object's own type where the response says it (`__typename` or the gateway's type key), else the static one. */
function runtimeType(walk: Walk, value: Record<string, unknown>, type: GraphQLCompositeType): GraphQLCompositeType {
  for (const key of ['__typename', '__govgraph_type']) {
    const name = value[key];
    const named = typeof name === 'string' ? walk.schema.getType(name) : undefined;
    if (named && isObjectType(named)) return named;
  }
  return type;
}

function appliesTo(walk: Walk, condition: string | undefined, type: GraphQLCompositeType): GraphQLCompositeType | undefined {
  if (!condition) return type;
  const named = walk.schema.getType(condition);
  if (!named || !isCompositeType(named)) return undefined;
  // A concrete type known from the response must be the condition or one of its possible types.
  if (isObjectType(type) && named !== type && !(isAbstractType(named) && walk.schema.isSubType(named, type))) return undefined;
  return isObjectType(type) ? type : named;
}

function visitValue(walk: Walk, value: unknown, selections: SelectionSetNode, type: GraphQLCompositeType, path: Path): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => visitValue(walk, item, selections, type, [...path, i]));
  } else if (isRecord(value)) {
    visitObject(walk, value, selections, runtimeType(walk, value, type), path);
  }
}

function visitObject(
  walk: Walk,
  value: Record<string, unknown>,
  selections: SelectionSetNode,
  type: GraphQLCompositeType,
  path: Path,
): void {
  for (const selection of selections.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : walk.fragments.get(selection.name.value);
      const applied = fragment && appliesTo(walk, fragment.typeCondition?.name.value, type);
      if (fragment && applied) visitObject(walk, value, fragment.selectionSet, applied, path);
      continue;
    }
    const name = selection.name.value;
    const key = selection.alias?.value ?? name;
    if (name.startsWith('__') || !(key in value) || isAbstractType(type) || !('getFields' in type)) continue;
    const field = type.getFields()[name];
    if (!field) continue;
    const answer = value[key];
    if (answer === null) {
      const subgraph = walk.catalog.get(`${type.name}.${name}`)?.owners.find((owner) => walk.failed.has(owner));
      const at = [...path, key];
      if (subgraph) walk.found.set(JSON.stringify(at), { subgraph, path: at });
    } else if (selection.selectionSet) {
      const named = getNamedType(field.type);
      if (isCompositeType(named)) visitValue(walk, answer, selection.selectionSet, named, [...path, key]);
    }
  }
}

/**
 * Apollo's gateway reports a subgraph call that failed once, without a
 * path, and leaves null wherever that subgraph's fields were. This puts the
 * error where the client can see what is missing: one SUBGRAPH_UNAVAILABLE
 * per null field the failed subgraph resolves, walked along the operation
 * that ran. A field decided as denied is not in that operation, so its
 * FORBIDDEN_FIELD is never mistaken for an outage. Nothing changes when no
 * such path is found, or when there are more than MAX_PATHS for a subgraph.
 */
export function placeUnavailableErrors(
  data: Record<string, unknown> | null | undefined,
  errors: readonly GraphQLFormattedError[],
  query: string,
  schema: GraphQLSchema,
  catalog: Catalog,
): readonly GraphQLFormattedError[] {
  const pathless = errors.filter(
    (error) => !error.path && error.extensions?.code === 'SUBGRAPH_UNAVAILABLE' && typeof error.extensions.subgraph === 'string',
  );
  if (pathless.length === 0 || !data) return errors;
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return errors;
  const walk: Walk = {
    schema,
    catalog,
    fragments: new Map(
      document.definitions.flatMap((definition) =>
        definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition]] : [],
      ),
    ),
    failed: new Set(pathless.map((error) => String(error.extensions!.subgraph))),
    found: new Map(),
  };
  visitObject(walk, data, operation.selectionSet, root, []);
  const placed = new Map<string, GraphQLFormattedError[]>();
  for (const error of pathless) {
    const subgraph = String(error.extensions!.subgraph);
    const paths = [...walk.found.values()].filter((found) => found.subgraph === subgraph);
    if (paths.length > 0 && paths.length <= MAX_PATHS && !placed.has(subgraph)) {
      placed.set(
        subgraph,
        paths.map(({ path }) => ({ message: error.message, path, extensions: error.extensions })),
      );
    }
  }
  if (placed.size === 0) return errors;
  return errors.flatMap((error) => {
    if (!pathless.includes(error)) return [error];
    const subgraph = String(error.extensions!.subgraph);
    const replacement = placed.get(subgraph);
    if (!replacement) return [error];
    // Apollo may report several failed calls to one subgraph; the paths are placed once.
    placed.set(subgraph, []);
    return replacement;
  });
}
