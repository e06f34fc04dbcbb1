/**
 * The walk that filters one operation's selections for one caller class
 * (see filter-operation.ts for what it does and why): each field decided for
 * every concrete type an object may have where it is selected, kept where the
 * client put it when those decisions agree, asked for through a fragment on
 * each type that may see it when they do not, and the response's shape built
 * on the way.
 */
import {
  getNamedType,
  isAbstractType,
  isInputObjectType,
  isObjectType,
  isUnionType,
  Kind,
  type ArgumentNode,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Decision } from './policy';
import { emptyShape, mergeShapes, PLACEHOLDER, RESERVED_PREFIX, TYPE_KEY, type Shape } from './shape';
import { inlineSpreads, onType, spreadAsInline, subjectKey, typeKey, typenameField } from './selection-edits';

/** A client's alias in the gateway's own namespace. */
export class ReservedAliasError extends Error {
  constructor(alias: string) {
    super(`The alias ${alias} is reserved: response keys starting with ${RESERVED_PREFIX} belong to the gateway`);
  }
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

export class SelectionFilter {
  private readonly decided = new Map<string, Decision>();
  readonly forbiddenMutations = new Set<string>();
  readonly filterChecks: FilterCheck[] = [];
  /**
   * While filtering below a field with a filter by a non-public field: the
   * filters and the types they filter; the first objects of those types
   * below it are the ones they chose.
   */
  private selecting: { checks: FilterCheck[]; types: Set<string> } | undefined;

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

  /**
   * Filtering by a field says what it holds: allowed only where the field itself would be sent raw.
   * Returns the filters by a non-public field the caller may use: what they select is access to it.
   */
  private checkArguments(field: FieldNode, definition: GraphQLField<unknown, unknown>): FilterCheck[] {
    const selecting: FilterCheck[] = [];
    for (const argument of field.arguments ?? []) {
      const argumentType = definition.args.find((arg) => arg.name === argument.name.value)?.type;
      const named = argumentType && getNamedType(argumentType);
      if (!argumentType || !isInputObjectType(named)) continue;
      for (const inputField of Object.keys(named.getFields())) {
        const coordinates = this.reveals.get(`${named.name}.${inputField}`);
        if (!coordinates) continue;
        const check = { argument, type: argumentType, inputField, coordinates };
        if (coordinates.some((coordinate) => this.decision(coordinate, false).action !== 'ALLOW')) this.filterChecks.push(check);
        else if (coordinates.some((coordinate) => !this.isPublic(coordinate))) selecting.push(check);
      }
    }
    return selecting;
  }

  private maySeeId(type: GraphQLObjectType): boolean {
    return this.decision(`${type.name}.id`, false).action === 'ALLOW';
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
    return { shape: { fields: new Map(), placeholder: false, byType: { typeKeys: [TYPE_KEY], shapes } }, concrete };
  }

  /**
   * A selection set of `type` at one place in the response, filtered; `shape`
   * describes that place. `conditions`: the @skip/@include on the way here,
   * which decide whether a denied field below was asked for at all.
   */
  selectionSet(
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    shape: Shape,
    concrete: Concrete,
    root: boolean,
    conditions: readonly DirectiveNode[] = [],
  ): SelectionSetNode {
    const selecting = this.selecting;
    const chosen = (object: GraphQLObjectType) => selecting?.types.has(object.name) === true;
    // Objects nested below the chosen ones were not chosen by the filter.
    if ([...concrete.keys()].some(chosen)) this.selecting = undefined;
    const kept = this.selections(set, type, concrete, conditions, root);
    this.selecting = selecting;
    const keys = new Set<SelectionNode>();
    for (const [object, objectShape] of concrete) {
      if (chosen(object)) objectShape.selectedBy = selecting!.checks;
      for (const key of subjectKey(set, object, objectShape, () => this.maySeeId(object), type, chosen(object))) keys.add(key);
    }
    kept.push(...keys);
    if (!isObjectType(type)) kept.push(...typeKey(set, shape));
    if (kept.length === 0) {
      // An empty selection is not GraphQL: keep the parent with a field that costs nothing.
      shape.placeholder = true;
      kept.push(typenameField(PLACEHOLDER));
    }
    return { ...set, selections: kept };
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
        return this.fragment(spreadAsInline(selection.directives, definition), type, concrete, conditions, root);
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
      return [inlineSpreads(field, this.fragments)];
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
      const kept = this.kept(field, definition, conditions);
      for (const object of fetched) this.record(concrete.get(object)!, responseKey, `${object.name}.${name}`, root, kept.shape);
      return [kept.node];
    }
    // Only some may: the field is asked for on those alone, each through a fragment on its type.
    return fetched.map((object) => {
      const kept = this.kept(field, object.getFields()[name]!, conditions);
      this.record(concrete.get(object)!, responseKey, `${object.name}.${name}`, root, kept.shape);
      return onType(object, [kept.node]);
    });
  }

  /** An allowed field as it goes to the planner, its arguments checked and its selection filtered. */
  private kept(
    field: FieldNode,
    definition: GraphQLField<unknown, unknown>,
    conditions: readonly DirectiveNode[],
  ): { node: FieldNode; shape: Shape | undefined } {
    const selecting = this.checkArguments(field, definition);
    if (!field.selectionSet) return { node: field, shape: undefined };
    const type = getNamedType(definition.type) as GraphQLCompositeType;
    const { shape, concrete } = this.place(type);
    const outer = this.selecting;
    if (selecting.length > 0) {
      const types = new Set(selecting.flatMap((check) => check.coordinates.map((coordinate) => coordinate.split('.')[0]!)));
      this.selecting = { checks: selecting, types };
    }
    try {
      const selectionSet = this.selectionSet(field.selectionSet, type, shape, concrete, false, [
        ...conditions,
        ...(field.directives ?? []),
      ]);
      return { node: { ...field, selectionSet }, shape };
    } finally {
      this.selecting = outer;
    }
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
