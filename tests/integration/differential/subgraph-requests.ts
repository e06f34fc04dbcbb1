/**
 * Which field coordinates a subgraph request asks for, read from its text,
 * for the governed test's check that govgraph filters before planning: no
 * subgraph is asked for a concrete field the caller may not see.
 *
 * Each selection set stands for the concrete types an object there may have:
 * a field's own type (an interface or union: every object type the API
 * schema has for it there), narrowed by each enclosing type condition
 * (`printed { ... on Media { title } }` is `Book.title` and
 * `Magazine.title`, not `Film.title`). An @interfaceObject (an object type
 * in the subgraph, an interface in the supergraph) stands for every
 * implementation, except directly under `_entities`, where it stands for
 * the concrete types of the entities the request names (`concreteTypeOf`
 * reads them from the representations; every implementation when it cannot
 * tell). A selection @skip or @include leaves out under the request's
 * variables (and the defaults it declares) is not asked for; named fragments are read where spread.
 * Federation's own fields (`_entities`, `_service`) and `__typename` are not
 * coordinates. Where the reading errs, it errs towards "asked".
 */
import {
  getNamedType,
  getVariableValues,
  GraphQLBoolean,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type OperationDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { SupergraphFixture } from './fixture';

const FEDERATION_FIELDS = new Set(['_entities', '_service', '__typename']);

/** The object types an object of `type` (a type of the API schema) may have. */
function concreteTypes(api: GraphQLSchema, type: GraphQLCompositeType): string[] {
  return isAbstractType(type) ? api.getPossibleTypes(type).map((object) => object.name) : [type.name];
}

export interface SubgraphBody {
  query: string;
  variables?: Record<string, unknown>;
}

/** Every concrete coordinate one subgraph request asks for (see above). */
export function requestedCoordinates(
  subgraphSchema: GraphQLSchema,
  api: GraphQLSchema,
  body: SubgraphBody,
  concreteTypeOf?: (representation: Record<string, unknown>) => string | undefined,
): Set<string> {
  const found = new Set<string>();
  const document = parse(body.query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  // With the defaults the operation declares, as execution sees them.
  const coerced = operation ? getVariableValues(subgraphSchema, operation.variableDefinitions ?? [], body.variables ?? {}) : undefined;
  const variables = coerced?.coerced ?? body.variables ?? {};
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const everyObject = new Set(
    Object.values(api.getTypeMap())
      .filter(isObjectType)
      .map((type) => type.name),
  );
  const representations = Array.isArray(variables.representations) ? (variables.representations as Record<string, unknown>[]) : [];
  const included = (directives: readonly DirectiveNode[] | undefined): boolean =>
    (directives ?? []).every((directive) => {
      const condition = directive.arguments?.find((arg) => arg.name.value === 'if');
      if (!condition || !['skip', 'include'].includes(directive.name.value)) return true;
      return valueFromAST(condition.value, GraphQLBoolean, variables) === (directive.name.value === 'include');
    });
  /** The API's concrete types for a subgraph type, `entities` set directly under `_entities`. */
  const typesOf = (name: string, entities: boolean): Set<string> => {
    const inApi = api.getType(name);
    if (isObjectType(inApi)) return new Set([name]);
    if (!isInterfaceType(inApi) && !isAbstractType(inApi)) return new Set();
    const every = concreteTypes(api, inApi);
    const inSubgraph = subgraphSchema.getType(name);
    if (!entities || !isObjectType(inSubgraph)) return new Set(every);
    // An @interfaceObject's entities: the types of those the request names.
    return new Set(
      representations
        .filter((representation) => representation.__typename === name)
        .flatMap((representation) => {
          const concrete = concreteTypeOf?.(representation);
          return concrete ? [concrete] : every;
        }),
    );
  };
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, types: ReadonlySet<string>, underEntities: boolean): void => {
    for (const selection of set.selections) {
      if (!included(selection.directives)) continue;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (!FEDERATION_FIELDS.has(name)) for (const type of types) found.add(`${type}.${name}`);
        if (!selection.selectionSet || name === '__typename') continue;
        const field = 'getFields' in parent ? parent.getFields()[name] : undefined;
        if (!field) throw new Error(`${parent.name}.${name} is not in the subgraph's schema`);
        const type = getNamedType(field.type) as GraphQLCompositeType;
        // Under `_entities`, only the type conditions say which entities a selection is for.
        const entities = name === '_entities';
        walk(selection.selectionSet, type, entities ? everyObject : typesOf(type.name, false), entities);
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment) throw new Error(`unknown fragment in a subgraph request`);
      if (selection.kind === Kind.FRAGMENT_SPREAD && !included(fragment.directives)) continue;
      const conditionName = fragment.typeCondition?.name.value;
      const condition = conditionName ? (subgraphSchema.getType(conditionName) as GraphQLCompositeType | undefined) : parent;
      if (!condition) throw new Error(`fragment on ${conditionName ?? '?'}, not in the subgraph's schema`);
      const narrowed = conditionName ? typesOf(conditionName, underEntities) : types;
      walk(fragment.selectionSet, condition, new Set([...types].filter((type) => narrowed.has(type))), underEntities);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = definition.operation === 'mutation' ? subgraphSchema.getMutationType() : subgraphSchema.getQueryType();
    walk(definition.selectionSet, root!, new Set([root!.name]), false);
  }
  return found;
}

/**
 * For each concrete field with @requires, the concrete coordinates its
 * `fields` selection reads (`Person.pageTotal` reads `Person.works`,
 * `Book.pages` and `Magazine.pages`): the query planner fetches them to
 * compute the field, whatever the client selected.
 */
export function requirements(fixture: SupergraphFixture, api: GraphQLSchema): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const subgraph of fixture.subgraphs) {
    for (const definition of parse(subgraph.sdl).definitions) {
      if (!('fields' in definition) || !('name' in definition) || !definition.name) continue;
      for (const field of definition.fields ?? []) {
        if (!('directives' in field)) continue;
        const requires = field.directives?.find((directive) => directive.name.value === 'requires');
        const selection = requires?.arguments?.find((argument) => argument.name.value === 'fields')?.value;
        if (!selection || selection.kind !== 'StringValue') continue;
        const type = api.getType(definition.name.value);
        if (!type || !(isObjectType(type) || isInterfaceType(type))) continue;
        for (const concrete of concreteTypes(api, type)) {
          const read = new Set<string>();
          const typeInfo = new TypeInfo(api);
          visit(
            parse(`fragment Required on ${concrete} { ${selection.value} }`),
            visitWithTypeInfo(typeInfo, {
              Field(node) {
                const parent = typeInfo.getParentType();
                if (!parent || node.name.value === '__typename') return;
                for (const object of concreteTypes(api, getNamedType(parent) as GraphQLCompositeType))
                  read.add(`${object}.${node.name.value}`);
              },
            }),
          );
          found.set(`${concrete}.${field.name.value}`, read);
        }
      }
    }
  }
  return found;
}
