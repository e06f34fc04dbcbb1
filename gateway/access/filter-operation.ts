/**
 * Removes every field the caller may not see from an operation, before the
 * query planner sees it, so no subgraph is ever asked for it. Pure: the
 * decision for each coordinate comes from `decide`.
 *
 * The result also describes the response shape the client asked for, so
 * that after execution denied fields can be answered with null and an
 * error, and masked fields transformed (see apply-shape.ts).
 */
import {
  getNamedType,
  isInputObjectType,
  isObjectType,
  type ArgumentNode,
  type GraphQLField,
  type GraphQLInputType,
  type VariableDefinitionNode,
  Kind,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Decision } from './policy';
import { PLACEHOLDER, RESERVED_PREFIX, type Shape } from './shape';
import { withoutUnusedVariables, withSubjectKey } from './selection-edits';

/** A client's alias in the gateway's own namespace. */
export class ReservedAliasError extends Error {
  constructor(alias: string) {
    super(`The alias ${alias} is reserved: response keys starting with ${RESERVED_PREFIX} belong to the gateway`);
  }
}

export interface FilteredOperation {
  document: DocumentNode;
  shape: Shape;
  /** The decision for every coordinate the operation selects. */
  decisions: ReadonlyMap<string, Decision>;
  /** Root mutation fields the caller may not call. */
  forbiddenMutations: string[];
  /** Filter arguments that would reveal fields the caller may not see, if set. */
  filterChecks: FilterCheck[];
  /** The operation's variables, for applying their defaults. */
  variableDefinitions: readonly VariableDefinitionNode[];
  operationType: 'query' | 'mutation';
  operationName: string | null;
}

export type Decide = (coordinate: string, kind: 'query' | 'mutation') => Decision;

/** A filter argument whose `inputField`, if set, reveals `coordinates` the caller may not see raw. */
export interface FilterCheck {
  argument: ArgumentNode;
  type: GraphQLInputType;
  inputField: string;
  coordinates: readonly string[];
}
/** Whether a field is UNCONDITIONAL: returning it says nothing about a data subject. */
export type IsPublic = (coordinate: string) => boolean;

class Filter {
  readonly decisions = new Map<string, Decision>();
  readonly forbiddenMutations: string[] = [];
  readonly filterChecks: FilterCheck[] = [];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly decide: Decide,
    private readonly isMutation: boolean,
    private readonly isPublic: IsPublic,
    private readonly reveals: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** Filtering by a field says what it holds: allowed only where the field itself would be sent raw. */
  private checkArguments(field: FieldNode, definition: GraphQLField<unknown, unknown>): void {
    for (const argument of field.arguments ?? []) {
      const argumentType = definition.args.find((arg) => arg.name === argument.name.value)?.type;
      const named = argumentType && getNamedType(argumentType);
      if (!argumentType || !isInputObjectType(named)) continue;
      for (const inputField of Object.keys(named.getFields())) {
        const coordinates = this.reveals.get(`${named.name}.${inputField}`);
        if (coordinates?.some((coordinate) => this.decision(coordinate, false).action !== 'ALLOW')) {
          this.filterChecks.push({ argument, type: argumentType, inputField, coordinates });
        }
      }
    }
  }

  private decision(coordinate: string, root: boolean): Decision {
    const kind = root && this.isMutation ? 'mutation' : 'query';
    const key = `${kind}:${coordinate}`;
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = this.decide(coordinate, kind);
      this.decisions.set(key, decision);
    }
    return decision;
  }

  selectionSet(
    set: SelectionSetNode,
    type: GraphQLObjectType,
    shape: Shape,
    conditions: readonly DirectiveNode[],
    root: boolean,
  ): SelectionSetNode {
    const kept: SelectionNode[] = [];
    for (const selection of set.selections) {
      const filtered = this.selection(selection, type, shape, conditions, root);
      if (filtered) kept.push(filtered);
    }
    if (kept.length === 0) {
      // An empty selection is not GraphQL: keep the parent with a field that costs nothing.
      shape.placeholder = true;
      kept.push({ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: PLACEHOLDER }, name: { kind: Kind.NAME, value: '__typename' } });
    }
    return { ...set, selections: kept };
  }

  private selection(
    selection: SelectionNode,
    type: GraphQLObjectType,
    shape: Shape,
    conditions: readonly DirectiveNode[],
    root: boolean,
  ): SelectionNode | null {
    switch (selection.kind) {
      case Kind.FIELD:
        return this.field(selection, type, shape, conditions, root);
      case Kind.INLINE_FRAGMENT:
        return this.fragment(selection, type, shape, conditions, root);
      case Kind.FRAGMENT_SPREAD: {
        // Inlined: decisions depend on the field, not on where a fragment is spread.
        const definition = this.fragments.get(selection.name.value);
        if (!definition) throw new Error(`unknown fragment ${selection.name.value}`);
        const inline: InlineFragmentNode = {
          kind: Kind.INLINE_FRAGMENT,
          typeCondition: definition.typeCondition,
          directives: [...(selection.directives ?? []), ...(definition.directives ?? [])],
          selectionSet: definition.selectionSet,
        };
        return this.fragment(inline, type, shape, conditions, root);
      }
      default: {
        const unreachable: never = selection;
        throw new Error(`unknown selection ${String(unreachable)}`);
      }
    }
  }

  private fragment(
    fragment: InlineFragmentNode,
    type: GraphQLObjectType,
    shape: Shape,
    conditions: readonly DirectiveNode[],
    root: boolean,
  ): SelectionNode | null {
    const condition = fragment.typeCondition ? this.schema.getType(fragment.typeCondition.name.value) : type;
    // The graph has object types only: a fragment's condition is its parent's type.
    if (!isObjectType(condition)) throw new Error(`fragment on non-object type ${String(condition)}`);
    const inner = this.selectionSet(fragment.selectionSet, condition, shape, [...conditions, ...(fragment.directives ?? [])], root);
    const onlyPlaceholder = inner.selections.length === 1 && (inner.selections[0] as FieldNode).alias?.value === PLACEHOLDER;
    return onlyPlaceholder ? null : { ...fragment, selectionSet: inner };
  }

  private field(
    field: FieldNode,
    type: GraphQLObjectType,
    shape: Shape,
    conditions: readonly DirectiveNode[],
    root: boolean,
  ): FieldNode | null {
    const responseKey = field.alias?.value ?? field.name.value;
    if (responseKey.startsWith(RESERVED_PREFIX)) throw new ReservedAliasError(responseKey);
    if (field.name.value === '__typename') return field;
    const coordinate = `${type.name}.${field.name.value}`;
    const decision = this.decision(coordinate, root);
    if (decision.action === 'DENY') {
      if (root && this.isMutation) this.forbiddenMutations.push(coordinate);
      const occurrence = [...conditions, ...(field.directives ?? [])];
      const existing = shape.fields.get(responseKey);
      if (existing?.kind === 'deny') existing.occurrences.push(occurrence);
      else shape.fields.set(responseKey, { kind: 'deny', coordinate, occurrences: [occurrence] });
      return null;
    }
    this.checkArguments(field, type.getFields()[field.name.value]!);
    const isPublic = this.isPublic(coordinate);
    if (decision.action === 'MASK') {
      shape.fields.set(responseKey, { kind: 'mask', coordinate, masker: decision.masker!, isPublic });
      return field;
    }
    if (!field.selectionSet) {
      if (!shape.fields.has(responseKey)) shape.fields.set(responseKey, { kind: 'keep', coordinate, isPublic });
      return field;
    }
    const fieldType = getNamedType(type.getFields()[field.name.value]!.type);
    if (!isObjectType(fieldType)) throw new Error(`selection on non-object type ${fieldType.name}`);
    const existing = shape.fields.get(responseKey);
    const children = existing?.kind === 'keep' && existing.children ? existing.children : { fields: new Map(), placeholder: false };
    shape.fields.set(responseKey, { kind: 'keep', coordinate, isPublic, children });
    const selectionSet = this.selectionSet(field.selectionSet, fieldType, children, [], false);
    return { ...field, selectionSet: this.withSubjectKey(selectionSet, fieldType, children) };
  }

  /** The selection with the key the audit needs to know whose data it returns, when the caller may see it. */
  private withSubjectKey(set: SelectionSetNode, type: GraphQLObjectType, shape: Shape): SelectionSetNode {
    return withSubjectKey(set, type, shape, () => this.decision(`${type.name}.id`, false).action === 'ALLOW');
  }
}

/**
 * Filters the chosen operation of a validated document. Returns null when
 * the document has no operation of that name (validation reports that).
 */
export function filterOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  decide: Decide,
  isPublic: IsPublic = () => true,
  reveals: ReadonlyMap<string, readonly string[]> = new Map(),
): FilteredOperation | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation || operation.operation === 'subscription') return null;
  const rootType = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!rootType) return null;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const filter = new Filter(schema, fragments, decide, operation.operation === 'mutation', isPublic, reveals);
  const shape: Shape = { fields: new Map(), placeholder: false };
  const selectionSet = filter.selectionSet(operation.selectionSet, rootType, shape, [], true);
  const filtered = withoutUnusedVariables({ ...operation, selectionSet });
  const decisions = new Map([...filter.decisions].map(([key, decision]) => [key.slice(key.indexOf(':') + 1), decision]));
  return {
    document: { kind: Kind.DOCUMENT, definitions: [filtered] },
    shape,
    decisions,
    forbiddenMutations: filter.forbiddenMutations,
    filterChecks: filter.filterChecks,
    variableDefinitions: operation.variableDefinitions ?? [],
    operationType: operation.operation,
    operationName: operation.name?.value ?? null,
  };
}
