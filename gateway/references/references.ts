import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  Kind,
  parse,
  type ConstDirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type SelectionSetNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * Input fields that name another department's entity (`SubmitPetitionInput.petitionerId`
 * names a `Resident`), as the owning department declares them with
 * `@sharing(references: "Type")`, and the subgraph that resolves that entity.
 * Pure: read from the supergraph, applied to one operation.
 */
export interface ReferenceCatalog {
  /** `Input.field` → the entity type it names. */
  fields: ReadonlyMap<string, string>;
  /** Entity type → the subgraph that defines it (the one its references are checked at). */
  owners: ReadonlyMap<string, string>;
}

/** One referenced id in an operation's arguments. */
export interface Reference {
  type: string;
  id: string;
  /** The input field that named it (`petitionerId`), for the error. */
  field: string;
}

function argument(directive: ConstDirectiveNode, name: string): string | boolean | undefined {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  if (value?.kind === Kind.STRING || value?.kind === Kind.ENUM || value?.kind === Kind.BOOLEAN) return value.value;
  return undefined;
}

export function readReferences(supergraphSdl: string): ReferenceCatalog {
  const document = parse(supergraphSdl);
  const graphs = new Map<string, string>();
  const fields = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      for (const value of definition.values ?? []) {
        const name = value.directives?.find((d) => d.name.value === 'join__graph');
        if (name) graphs.set(value.name.value, String(argument(name, 'name')));
      }
    }
    if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      for (const field of definition.fields ?? []) {
        for (const directive of field.directives ?? []) {
          const type = directive.name.value === 'sharing' ? argument(directive, 'references') : undefined;
          if (typeof type === 'string') fields.set(`${definition.name.value}.${field.name.value}`, type);
        }
      }
    }
  }
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    // The defining subgraph: a key it resolves, not a stub another department keeps (resolvable: false).
    const defining = (definition.directives ?? []).find(
      (d) =>
        d.name.value === 'join__type' &&
        argument(d, 'key') !== undefined &&
        argument(d, 'resolvable') !== false &&
        argument(d, 'extension') !== true,
    );
    const graph = defining ? argument(defining, 'graph') : undefined;
    if (typeof graph === 'string') owners.set(definition.name.value, graphs.get(graph) ?? graph);
  }
  return { fields, owners };
}

/** Every id the operation's mutation fields name through a referencing input field, variables applied. */
export function collectReferences(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Record<string, unknown>,
  catalog: ReferenceCatalog,
): Reference[] {
  const root = schema.getMutationType();
  if (operation.operation !== 'mutation' || !root || catalog.fields.size === 0) return [];
  const found: Reference[] = [];
  const walk = (type: GraphQLInputType, value: unknown): void => {
    if (value === null || value === undefined) return;
    const inner = getNullableType(type);
    if (isListType(inner)) {
      for (const item of value as unknown[]) walk(inner.ofType, item);
      return;
    }
    if (!isInputObjectType(inner)) return;
    for (const field of Object.values(inner.getFields())) {
      const fieldValue = (value as Record<string, unknown>)[field.name];
      const referenced = catalog.fields.get(`${inner.name}.${field.name}`);
      if (referenced && fieldValue !== null && fieldValue !== undefined) {
        for (const id of [fieldValue].flat()) if (id !== null) found.push({ type: referenced, id: String(id), field: field.name });
      } else if (isInputObjectType(getNamedType(field.type))) {
        walk(field.type, fieldValue);
      }
    }
  };
  // Root fields inside fragments are mutations too; a skipped one is checked all the same.
  const visit = (set: SelectionSetNode, seen: ReadonlySet<string>): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, seen);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        if (fragment && !seen.has(fragment.name.value)) visit(fragment.selectionSet, new Set([...seen, fragment.name.value]));
      } else {
        const definition = root.getFields()[selection.name.value];
        if (!definition) continue;
        const args = getArgumentValues(definition, selection, variables);
        for (const arg of definition.args) walk(arg.type, args[arg.name]);
      }
    }
  };
  visit(operation.selectionSet, new Set());
  return found;
}
