/**
 * Removes every field the caller may not see from an operation, before the
 * query planner sees it, so no subgraph is ever asked for it. Pure: the
 * decision for each coordinate comes from `decide`.
 *
 * A field is decided for each concrete type an object may have where it is
 * selected: `GridEvent.at` selected through the interface is `Visit.at` on a
 * visit and `Incident.at` on an incident. Where those decisions agree the
 * operation keeps its form; where some concrete types may not be asked for
 * the field, it is rewritten into one inline fragment per type that may
 * (`... on Incident { at }`), so a denied concrete-type field is never
 * fetched.
 *
 * The result also describes the response shape the client asked for, so
 * that after execution denied fields can be answered with null and an
 * error, and masked fields transformed (see apply-shape.ts).
 */
import {
  getNamedType,
  isAbstractType,
  isInputObjectType,
  isObjectType,
  isUnionType,
  type ArgumentNode,
  type GraphQLCompositeType,
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
import { emptyShape, mergeShapes, needsWalk, PLACEHOLDER, RESERVED_PREFIX, SUBJECT_KEY, TYPE_KEY, type Shape } from './shape';
import { withoutUnusedVariables } from './selection-edits';

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
  /** Root mutation fields the caller may not call, each once. */
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

/** Introspection reads the schema, not data: open to every caller the gateway let in. */
const INTROSPECTION: Decision = { action: 'ALLOW', reason: 'INTROSPECTION' };
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/** The concrete types an object may have where a selection applies, each with the shape its fields go to. */
type Concrete = ReadonlyMap<GraphQLObjectType, Shape>;

function typenameField(alias: string): FieldNode {
  return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: '__typename' } };
}

function onType(type: GraphQLObjectType, selections: readonly SelectionNode[]): InlineFragmentNode {
  return {
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: type.name } },
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
}

/** A field the client selected directly in this set, unconditionally: its response key is always there. */
function unconditional(set: SelectionSetNode, name: string): FieldNode | undefined {
  return set.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === name && (s.directives ?? []).length === 0);
}

class Filter {
  private readonly decided = new Map<string, Decision>();
  readonly forbiddenMutations = new Set<string>();
  readonly filterChecks: FilterCheck[] = [];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly decide: Decide,
    private readonly isMutation: boolean,
    private readonly isPublic: IsPublic,
    private readonly reveals: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** The decisions made, by coordinate. */
  decisions(): Map<string, Decision> {
    return new Map([...this.decided].map(([key, decision]) => [key.slice(key.indexOf(':') + 1), decision]));
  }

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
    let decision = this.decided.get(key);
    if (!decision) {
      decision = this.decide(coordinate, kind);
      this.decided.set(key, decision);
    }
    return decision;
  }

  /** The shape of a selection of `type`, and the shape each of its concrete types' fields go to. */
  private place(type: GraphQLCompositeType): { shape: Shape; concrete: Map<GraphQLObjectType, Shape> } {
    if (isObjectType(type)) {
      const shape = emptyShape(type.name);
      return { shape, concrete: new Map([[type, shape]]) };
    }
    const concrete = new Map(this.schema.getPossibleTypes(type).map((object) => [object, emptyShape(object.name)]));
    const shapes = new Map([...concrete].map(([object, shape]) => [object.name, shape]));
    return { shape: { fields: new Map(), placeholder: false, byType: { typeKey: TYPE_KEY, shapes } }, concrete };
  }

  /** A selection set of `type` at one place in the response, filtered; `shape` describes that place. */
  selectionSet(set: SelectionSetNode, type: GraphQLCompositeType, shape: Shape, concrete: Concrete, root: boolean): SelectionSetNode {
    const kept = this.selections(set, type, concrete, [], root);
    if (isObjectType(type)) {
      kept.push(...this.subjectKey(set, type, shape));
    } else {
      for (const [object, objectShape] of concrete) kept.push(...this.subjectKey(set, object, objectShape, true));
      kept.push(...this.typeKey(set, shape));
    }
    if (kept.length === 0) {
      // An empty selection is not GraphQL: keep the parent with a field that costs nothing.
      shape.placeholder = true;
      kept.push(typenameField(PLACEHOLDER));
    }
    return { ...set, selections: kept };
  }

  /**
   * Where non-public fields of an entity are returned, the audit must know
   * whose, if this caller may see the entity's id at all. When the client
   * asks for the id itself in this selection, unconditionally, its response
   * key says whose; otherwise the id is fetched under SUBJECT_KEY (and
   * removed from the response). Returns the selections to add.
   */
  private subjectKey(set: SelectionSetNode, type: GraphQLObjectType, shape: Shape, throughAbstract = false): SelectionNode[] {
    if (!type.getFields().id) return [];
    const nonPublic = [...shape.fields.values()].some((f) => f.kind !== 'deny' && !f.isPublic);
    if (!nonPublic || this.decision(`${type.name}.id`, false).action !== 'ALLOW') return [];
    shape.subjectType = type.name;
    const asked = unconditional(set, 'id');
    if (asked) {
      shape.subjectKey = asked.alias?.value ?? 'id';
      return [];
    }
    const key: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: SUBJECT_KEY }, name: { kind: Kind.NAME, value: 'id' } };
    return [throughAbstract ? onType(type, [key]) : key];
  }

  /** At an interface or union: the object's `__typename`, when its concrete type decides how it is shaped. */
  private typeKey(set: SelectionSetNode, shape: Shape): SelectionNode[] {
    const byType = shape.byType!;
    if (![...byType.shapes.values()].some(needsWalk)) {
      delete shape.byType;
      return [];
    }
    const asked = unconditional(set, '__typename');
    if (asked) {
      shape.byType = { ...byType, typeKey: asked.alias?.value ?? '__typename' };
      return [];
    }
    return [typenameField(TYPE_KEY)];
  }

  private selections(
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    concrete: Concrete,
    conditions: readonly DirectiveNode[],
    root: boolean,
  ): SelectionNode[] {
    const kept: SelectionNode[] = [];
    for (const selection of set.selections) kept.push(...this.selection(selection, type, concrete, conditions, root));
    return kept;
  }

  private selection(
    selection: SelectionNode,
    type: GraphQLCompositeType,
    concrete: Concrete,
    conditions: readonly DirectiveNode[],
    root: boolean,
  ): SelectionNode[] {
    switch (selection.kind) {
      case Kind.FIELD:
        return this.field(selection, type, concrete, conditions, root);
      case Kind.INLINE_FRAGMENT:
        return this.fragment(selection, type, concrete, conditions, root);
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
        return this.fragment(inline, type, concrete, conditions, root);
      }
      default: {
        const unreachable: never = selection;
        throw new Error(`unknown selection ${String(unreachable)}`);
      }
    }
  }

  /** A fragment applies to the concrete types its condition admits; it goes when it keeps nothing. */
  private fragment(
    fragment: InlineFragmentNode,
    type: GraphQLCompositeType,
    concrete: Concrete,
    conditions: readonly DirectiveNode[],
    root: boolean,
  ): SelectionNode[] {
    const condition = fragment.typeCondition ? this.schema.getType(fragment.typeCondition.name.value) : type;
    if (!condition || !(isObjectType(condition) || isAbstractType(condition))) {
      throw new Error(`fragment on ${fragment.typeCondition?.name.value ?? 'an unknown type'}`);
    }
    const admitted = new Map(
      [...concrete].filter(([object]) => object === condition || (isAbstractType(condition) && this.schema.isSubType(condition, object))),
    );
    if (admitted.size === 0) return [];
    const kept = this.selections(fragment.selectionSet, condition, admitted, [...conditions, ...(fragment.directives ?? [])], root);
    return kept.length === 0 ? [] : [{ ...fragment, selectionSet: { ...fragment.selectionSet, selections: kept } }];
  }

  private field(
    field: FieldNode,
    type: GraphQLCompositeType,
    concrete: Concrete,
    conditions: readonly DirectiveNode[],
    root: boolean,
  ): SelectionNode[] {
    const responseKey = field.alias?.value ?? field.name.value;
    if (responseKey.startsWith(RESERVED_PREFIX)) throw new ReservedAliasError(responseKey);
    const name = field.name.value;
    // The type's name says nothing about a data subject: always answered, never a decision.
    if (name === '__typename') return [field];
    if (root && INTROSPECTION_FIELDS.has(name)) {
      this.decided.set(`query:${type.name}.${name}`, INTROSPECTION);
      // Kept whole; its fragments inlined, as the filtered document carries none.
      return [this.inlined(field)];
    }
    const fetched: GraphQLObjectType[] = [];
    for (const [object, shape] of concrete) {
      const coordinate = `${object.name}.${name}`;
      const decision = this.decision(coordinate, root);
      if (decision.action === 'DENY') {
        if (root && this.isMutation) this.forbiddenMutations.add(coordinate);
        const occurrence = [...conditions, ...(field.directives ?? [])];
        const existing = shape.fields.get(responseKey);
        if (existing?.kind === 'deny') existing.occurrences.push(occurrence);
        else shape.fields.set(responseKey, { kind: 'deny', coordinate, occurrences: [occurrence] });
      } else {
        fetched.push(object);
      }
    }
    if (fetched.length === 0) return [];
    if (fetched.length === concrete.size) {
      // Every concrete type here may be asked for the field: it stays where the client put it.
      // A union has no fields but __typename, so the field is the object's or the interface's own.
      const definition = (isUnionType(type) ? fetched[0]! : type).getFields()[name]!;
      const kept = this.kept(field, definition);
      for (const object of fetched) this.record(concrete.get(object)!, responseKey, `${object.name}.${name}`, root, kept.shape);
      return [kept.node];
    }
    // Only some may: the field is asked for on those alone, each through a fragment on its type.
    return fetched.map((object) => {
      const kept = this.kept(field, object.getFields()[name]!);
      this.record(concrete.get(object)!, responseKey, `${object.name}.${name}`, root, kept.shape);
      return onType(object, [kept.node]);
    });
  }

  /** A selection with every fragment spread in it replaced by the fragment's selections. */
  private inlined<T extends FieldNode | InlineFragmentNode>(node: T): T {
    if (!node.selectionSet) return node;
    const selections = node.selectionSet.selections.map((selection): SelectionNode => {
      if (selection.kind === Kind.FIELD) return this.inlined(selection);
      if (selection.kind === Kind.INLINE_FRAGMENT) return this.inlined(selection);
      const definition = this.fragments.get(selection.name.value);
      if (!definition) throw new Error(`unknown fragment ${selection.name.value}`);
      return this.inlined<InlineFragmentNode>({
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: definition.typeCondition,
        directives: [...(selection.directives ?? []), ...(definition.directives ?? [])],
        selectionSet: definition.selectionSet,
      });
    });
    return { ...node, selectionSet: { ...node.selectionSet, selections } };
  }

  /** An allowed field as it goes to the planner, its arguments checked and its selection filtered. */
  private kept(field: FieldNode, definition: GraphQLField<unknown, unknown>): { node: FieldNode; shape: Shape | undefined } {
    this.checkArguments(field, definition);
    if (!field.selectionSet) return { node: field, shape: undefined };
    const type = getNamedType(definition.type) as GraphQLCompositeType;
    const { shape, concrete } = this.place(type);
    const selectionSet = this.selectionSet(field.selectionSet, type, shape, concrete, false);
    return { node: { ...field, selectionSet }, shape };
  }

  /** What the response holds at `responseKey` on objects of one concrete type. */
  private record(shape: Shape, responseKey: string, coordinate: string, root: boolean, children: Shape | undefined): void {
    const decision = this.decision(coordinate, root);
    const isPublic = this.isPublic(coordinate);
    if (decision.action === 'MASK') {
      shape.fields.set(responseKey, { kind: 'mask', coordinate, masker: decision.masker!, isPublic });
      return;
    }
    const existing = shape.fields.get(responseKey);
    if (!children) {
      if (!existing) shape.fields.set(responseKey, { kind: 'keep', coordinate, isPublic });
      return;
    }
    const merged = existing?.kind === 'keep' && existing.children ? mergeShapes(existing.children, children) : children;
    shape.fields.set(responseKey, { kind: 'keep', coordinate, isPublic, children: merged });
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
  const shape = emptyShape(rootType.name);
  const selectionSet = filter.selectionSet(operation.selectionSet, rootType, shape, new Map([[rootType, shape]]), true);
  const filtered = withoutUnusedVariables({ ...operation, selectionSet });
  return {
    document: { kind: Kind.DOCUMENT, definitions: [filtered] },
    shape,
    decisions: filter.decisions(),
    forbiddenMutations: [...filter.forbiddenMutations],
    filterChecks: filter.filterChecks,
    variableDefinitions: operation.variableDefinitions ?? [],
    operationType: operation.operation,
    operationName: operation.name?.value ?? null,
  };
}
