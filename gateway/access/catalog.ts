import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type InterfaceTypeDefinitionNode,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
  type SelectionSetNode,
  type TypeNode,
} from 'graphql';
import { MASKERS, SHARING_LEVELS, type Catalog, type FieldPolicy, type MaskerName, type SharingLevel } from './policy';

/**
 * Reads the sharing catalog from the composed supergraph: each field's
 * @sharing classification (or its type's, for a type only one subgraph
 * defines) and the departments whose subgraphs resolve it (@join__field,
 * else @join__type). Fields with neither are listed as unclassified.
 *
 * Interfaces are classified field by field like object types. Decisions are
 * made for the concrete type (`Visit.at`, never `GridEvent.at`); an
 * interface's own classification is what its implementations must agree
 * with (governable-schema.ts checks that).
 */
export interface CatalogReading {
  catalog: Catalog;
  /** Input fields (`ResidentFilter.name`) and the fields filtering by them reveals. */
  reveals: ReadonlyMap<string, readonly string[]>;
  unclassified: string[];
  /** Every field coordinate of the graph's object types and interfaces, classified or not. */
  coordinates: string[];
}

type TypeDefinition = ObjectTypeDefinitionNode | ObjectTypeExtensionNode | InterfaceTypeDefinitionNode;

/** Federation's and composition's own types: the query planner's, never a client's. */
const INTERNAL_TYPE = /^(_|join__|link__)/;
/** Federation's own root fields; not part of the graph clients see. */
const FEDERATION_FIELDS = new Set(['_entities', '_service']);

function argument(directive: ConstDirectiveNode, name: string): string | string[] | undefined {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  if (!value) return undefined;
  if (value.kind === Kind.STRING || value.kind === Kind.ENUM) return value.value;
  if (value.kind === Kind.LIST) return value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
  return undefined;
}

function isExternal(directive: ConstDirectiveNode): boolean {
  return (directive.arguments ?? []).some((arg) => arg.name.value === 'external' && arg.value.kind === Kind.BOOLEAN && arg.value.value);
}

function directives(node: { directives?: readonly ConstDirectiveNode[] }, name: string): ConstDirectiveNode[] {
  return (node.directives ?? []).filter((directive) => directive.name.value === name);
}

function graphNames(document: DocumentNode): Map<string, string> {
  const names = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const name = directives(value, 'join__graph').map((d) => argument(d, 'name'))[0];
      if (typeof name === 'string') names.set(value.name.value, name);
    }
  }
  return names;
}

interface Classification {
  sharing: SharingLevel;
  masker?: MaskerName;
  roles?: string[];
}

function classification(node: { directives?: readonly ConstDirectiveNode[] }, where: string): Classification | undefined {
  const [directive] = directives(node, 'sharing');
  if (!directive) return undefined;
  const level = argument(directive, 'level');
  const masker = argument(directive, 'masker');
  const roles = argument(directive, 'roles');
  if (!(SHARING_LEVELS as readonly unknown[]).includes(level))
    throw new Error(`${where}: @sharing level must be one of ${SHARING_LEVELS.join(', ')}`);
  if (masker !== undefined && !(MASKERS as readonly unknown[]).includes(masker)) throw new Error(`${where}: unknown masker`);
  return {
    sharing: level as SharingLevel,
    ...(typeof masker === 'string' ? { masker: masker as MaskerName } : {}),
    ...(Array.isArray(roles) ? { roles } : {}),
  };
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/**
 * The coordinates a @requires field set on `typeName` reads (`"pages"`,
 * `"works { ... on Printed { pages } }"`). A field read on an interface is
 * read on each of its implementations, whichever objects are there.
 */
function requiredCoordinates(
  typeName: string,
  fields: string,
  fieldTypes: ReadonlyMap<string, string>,
  implementations: ReadonlyMap<string, readonly string[]>,
): string[] {
  const found: string[] = [];
  const walk = (type: string, set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const coordinate = `${type}.${selection.name.value}`;
        if (selection.name.value !== '__typename') {
          found.push(coordinate);
          for (const object of implementations.get(type) ?? []) found.push(`${object}.${selection.name.value}`);
        }
        const child = fieldTypes.get(coordinate);
        if (selection.selectionSet && child) walk(child, selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.typeCondition?.name.value ?? type, selection.selectionSet);
      }
    }
  };
  const operation = parse(`{ ${fields} }`).definitions[0];
  if (operation?.kind === Kind.OPERATION_DEFINITION) walk(typeName, operation.selectionSet);
  return found;
}

/**
 * Fields an @interfaceObject adds (its subgraph's @join__field on an
 * interface it joins as an interface object) are resolved for every
 * implementation at once: each implementation's policy lists them all.
 */
function markResolvedTogether(
  catalog: Map<string, FieldPolicy>,
  interfaces: ReadonlyMap<string, InterfaceTypeDefinitionNode>,
  types: readonly TypeDefinition[],
  department: (graph: string | string[] | undefined) => string | undefined,
): void {
  for (const [name, iface] of interfaces) {
    const asObject = new Set(
      directives(iface, 'join__type')
        .filter((d) =>
          (d.arguments ?? []).some((arg) => arg.name.value === 'isInterfaceObject' && arg.value.kind === Kind.BOOLEAN && arg.value.value),
        )
        .map((d) => department(argument(d, 'graph'))),
    );
    if (asObject.size === 0) continue;
    const implementations = types
      .filter((type) => (type.interfaces ?? []).some((i) => i.name.value === name))
      .map((type) => type.name.value);
    for (const field of iface.fields ?? []) {
      const resolvers = directives(field, 'join__field').map((d) => department(argument(d, 'graph')));
      if (!resolvers.some((graph) => asObject.has(graph))) continue;
      const together = implementations.map((type) => `${type}.${field.name.value}`).filter((coordinate) => catalog.has(coordinate));
      // What the interface object's field requires, each implementation's requires too.
      const requires = catalog.get(`${name}.${field.name.value}`)?.requires;
      for (const coordinate of together) {
        catalog.set(coordinate, { ...catalog.get(coordinate)!, resolvedTogether: together, ...(requires ? { requires } : {}) });
      }
    }
  }
}

export function readCatalog(supergraphSdl: string): CatalogReading {
  const document = parse(supergraphSdl);
  const graphs = graphNames(document);
  const department = (graph: string | string[] | undefined) => (typeof graph === 'string' ? (graphs.get(graph) ?? graph) : undefined);
  const catalog = new Map<string, FieldPolicy>();
  const reveals = new Map<string, readonly string[]>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.INPUT_OBJECT_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) {
      const revealed = directives(field, 'sharing').map((d) => argument(d, 'reveals'))[0];
      if (Array.isArray(revealed) && revealed.length > 0) reveals.set(`${definition.name.value}.${field.name.value}`, revealed);
    }
  }
  const unclassified: string[] = [];
  const coordinates: string[] = [];
  const types = document.definitions.filter(
    (definition): definition is TypeDefinition =>
      definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.OBJECT_TYPE_EXTENSION ||
      definition.kind === Kind.INTERFACE_TYPE_DEFINITION,
  );
  const interfaces = new Map(
    types.filter((type): type is InterfaceTypeDefinitionNode => type.kind === Kind.INTERFACE_TYPE_DEFINITION).map((t) => [t.name.value, t]),
  );
  const ownersOf = new Map<string, string[]>();
  const fieldTypes = new Map<string, string>();
  const implementations = new Map<string, string[]>();
  for (const type of types) {
    for (const field of type.fields ?? []) fieldTypes.set(`${type.name.value}.${field.name.value}`, namedType(field.type));
    if (type.kind === Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const implemented of type.interfaces ?? []) {
      implementations.set(implemented.name.value, [...(implementations.get(implemented.name.value) ?? []), type.name.value]);
    }
  }
  // Interfaces first: a field an interface object adds reaches its implementations with a bare @join__field.
  for (const type of [...interfaces.values(), ...types.filter((t) => t.kind !== Kind.INTERFACE_TYPE_DEFINITION)]) {
    const typeName = type.name.value;
    if (INTERNAL_TYPE.test(typeName)) continue;
    const typeGraphs = directives(type, 'join__type')
      .map((d) => department(argument(d, 'graph')))
      .filter((g): g is string => !!g);
    // A type-wide classification is trusted only when one subgraph defines the whole type.
    const typeWide = typeGraphs.length <= 1 ? classification(type, typeName) : undefined;
    for (const field of type.fields ?? []) {
      const name = field.name.value;
      if (FEDERATION_FIELDS.has(name)) continue;
      const coordinate = `${typeName}.${name}`;
      coordinates.push(coordinate);
      // An @external field is only read by its subgraph, not resolved there.
      const joins = directives(field, 'join__field').filter((d) => !isExternal(d));
      const joined = joins.map((d) => department(argument(d, 'graph'))).filter((g): g is string => !!g);
      const fromInterface = (type.interfaces ?? []).flatMap((i) => ownersOf.get(`${i.name.value}.${name}`) ?? []);
      const owners = joined.length > 0 ? joined : joins.length > 0 && fromInterface.length > 0 ? fromInterface : typeGraphs;
      ownersOf.set(coordinate, owners);
      const own = classification(field, coordinate) ?? typeWide;
      if (!own) {
        unclassified.push(coordinate);
        continue;
      }
      const requires = joins.flatMap((d) => {
        const fields = argument(d, 'requires');
        return typeof fields === 'string' ? requiredCoordinates(typeName, fields, fieldTypes, implementations) : [];
      });
      catalog.set(coordinate, { coordinate, owners: [...new Set(owners)], ...own, ...(requires.length > 0 ? { requires } : {}) });
    }
  }
  markResolvedTogether(catalog, interfaces, types, department);
  return { catalog, reveals, unclassified, coordinates };
}
