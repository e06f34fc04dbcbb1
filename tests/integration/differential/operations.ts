/**
 * Random operations on the query root of an API schema, valid by
 * construction (and checked with graphql's `validate`): selection sets of
 * bounded depth with aliases (unique ones, the field's own name, names of
 * Object.prototype, and shared aliases that collide safely: same field, same
 * arguments), `__typename` anywhere, inline fragments on interfaces, unions,
 * object types and the parent type itself, fragments without a type
 * condition, named fragments (on abstract types too) spread in several
 * places, @include/@skip with literal and variable conditions, and
 * arguments from the schema with valid literal (sometimes variable) values.
 *
 * Every random choice goes through a `Chooser`, fed by fast-check's `gen()`,
 * so a failing operation is replayed by the suite's seed and shrunk towards
 * the first option of every choice: fewer items, no aliases, no directives.
 *
 * Validity rests on one rule for the whole operation: a response key always
 * stands for the same field with the same arguments and the same return type,
 * wherever it appears, so any two selections that meet can be merged.
 */
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  parse,
  validate,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type fc from 'fast-check';

/** Every random decision the generator makes. */
export interface Chooser {
  /** An integer in [min, max]; shrinks towards min. */
  int(min: number, max: number): number;
  /** One of `items`; shrinks towards the first. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`; shrinks towards false. */
  chance(p: number): boolean;
}

export function chooserFrom(g: fc.GeneratorValue, integer: typeof fc.integer): Chooser {
  const int = (min: number, max: number) => (max <= min ? min : g(integer, { min, max }));
  return {
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    chance: (p) => int(0, 99) >= 100 - Math.round(p * 100),
  };
}

/** What a generated operation uses, for the run's coverage summary. */
export type Feature =
  | 'field with arguments'
  | 'argument as variable'
  | 'unique alias'
  | 'alias equal to the field name'
  | 'shared alias, colliding safely'
  | 'Object.prototype name as alias'
  | '__typename'
  | '__typename on a union'
  | '__typename alone under an abstract field'
  | 'field of interface type'
  | 'field of union type'
  | 'inline fragment on an interface'
  | 'inline fragment on a union'
  | 'inline fragment on an object type'
  | 'inline fragment on the parent type'
  | 'fragment without type condition'
  | 'named fragment'
  | 'named fragment on an abstract type'
  | 'named fragment spread more than once'
  | 'abstract type inside an abstract type'
  | '@include/@skip literal'
  | '@include/@skip variable';

export interface GeneratedOperation {
  query: string;
  variables: Record<string, unknown>;
  features: ReadonlySet<Feature>;
}

export interface GeneratorOptions {
  /** Field levels below the root. */
  maxFieldDepth: number;
  /** Literal values by argument name, else by named input type. */
  argumentValues: { byName: Record<string, unknown[]>; byType: Record<string, unknown[]> };
}

/** The gateway refuses more than 15 nested selection sets (gateway/access/complexity.ts); stay well under. */
const MAX_NESTING = 11;
/** Named fragments per operation; the selections per operation are drawn up to MAX_SELECTIONS, beyond which only __typename is added. */
const MAX_SELECTIONS = 40;
const MAX_FRAGMENTS = 6;
const PROTOTYPE_NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'];
const DEFAULT_VALUES: Record<string, unknown[]> = {
  Int: [0, 1, 2, 3],
  Float: [0.5, 2],
  String: ['a', ''],
  Boolean: [true, false],
  ID: ['1'],
};

interface Fragment {
  name: string;
  typeCondition: GraphQLCompositeType;
  text: string;
  /** Selection-set levels of its body, fragments it spreads included. */
  depth: number;
  spreads: number;
}

interface KeyUse {
  field: string;
  type: string;
  arguments: ArgumentValue[];
}

interface ArgumentValue {
  name: string;
  type: string;
  text: string;
  /** Set when the value is passed as a variable, defined once the argument is used. */
  variable?: { name: string; value: unknown };
}

interface Selection {
  text: string;
  /** Selection-set levels below (and including) the set this selection sits in. */
  depth: number;
}

class OperationBuilder {
  private readonly fragments: Fragment[] = [];
  private readonly keys = new Map<string, KeyUse>();
  private readonly sharedAliases = new Map<string, string>();
  private readonly variableDefinitions = new Map<string, string>();
  private readonly variables: Record<string, unknown> = {};
  readonly features = new Set<Feature>();
  private counter = 0;
  private selections = 0;
  private readonly maxSelections: number;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly choose: Chooser,
    private readonly options: GeneratorOptions,
  ) {
    this.maxSelections = choose.int(3, MAX_SELECTIONS);
  }

  build(): GeneratedOperation {
    const root = this.schema.getQueryType()!;
    const body = this.selectionSet(root, this.options.maxFieldDepth, 1);
    const definitions = [...this.variableDefinitions].map(([name, type]) => `$${name}: ${type}`);
    const head = definitions.length > 0 ? `query Generated(${definitions.join(', ')}) ` : this.choose.chance(0.5) ? 'query Generated ' : '';
    const fragments = this.fragments.map((fragment) => `fragment ${fragment.name} on ${fragment.typeCondition.name} ${fragment.text}`);
    for (const fragment of this.fragments) {
      if (fragment.spreads > 1) this.features.add('named fragment spread more than once');
    }
    return { query: [`${head}${body.text}`, ...fragments].join('\n'), variables: this.variables, features: this.features };
  }

  /** A selection set on `type` at nesting level `level` (the operation's own set is level 1). */
  private selectionSet(type: GraphQLCompositeType, fieldDepth: number, level: number): Selection {
    const count = this.choose.int(1, 3);
    const items: Selection[] = [];
    for (let i = 0; i < count; i += 1) items.push(this.selection(type, fieldDepth, level));
    return { text: `{ ${items.map((item) => item.text).join(' ')} }`, depth: 1 + Math.max(0, ...items.map((item) => item.depth - 1)) };
  }

  private selection(type: GraphQLCompositeType, fieldDepth: number, level: number): Selection {
    this.selections += 1;
    if (this.selections > this.maxSelections) return this.typename(type);
    const kinds: ('field' | 'typename' | 'inline' | 'untyped' | 'spread')[] = [];
    if (!isUnionType(type) && this.selectableFields(type, fieldDepth, level).length > 0) kinds.push('field', 'field', 'field', 'field');
    kinds.push('typename');
    if (level < MAX_NESTING) kinds.push('inline', 'inline', 'untyped', 'spread', 'spread');
    const kind = this.choose.pick(kinds);
    if (kind === 'field') return this.field(type, fieldDepth, level);
    if (kind === 'inline') return this.inlineFragment(type, fieldDepth, level, true);
    if (kind === 'untyped') return this.inlineFragment(type, fieldDepth, level, false);
    if (kind === 'spread') return this.spread(type, fieldDepth, level);
    return this.typename(type);
  }

  private typename(type: GraphQLCompositeType): Selection {
    this.features.add('__typename');
    if (isUnionType(type)) this.features.add('__typename on a union');
    return { text: `${this.alias('__typename', 'String!', []) ?? ''}__typename`, depth: 1 };
  }

  private selectableFields(type: GraphQLCompositeType, fieldDepth: number, level: number): GraphQLField<unknown, unknown>[] {
    if (isUnionType(type)) return [];
    return Object.values(type.getFields()).filter((field) => {
      if (field.name.startsWith('__')) return false;
      if (!isCompositeType(getNamedType(field.type))) return true;
      return fieldDepth > 0 && level < MAX_NESTING;
    });
  }

  private field(type: GraphQLCompositeType, fieldDepth: number, level: number): Selection {
    const field = this.choose.pick(this.selectableFields(type, fieldDepth, level));
    const named = getNamedType(field.type);
    let argumentValues = this.argumentsFor(field);
    let alias = this.alias(field.name, String(field.type), argumentValues);
    // An unaliased field already selected with other arguments takes those, or an alias of its own.
    if (alias === undefined) {
      const earlier = this.keys.get(field.name)!;
      if (this.compatible(field, earlier)) argumentValues = earlier.arguments;
      else alias = this.uniqueAlias(field.name, String(field.type), argumentValues);
    }
    if (argumentValues.length > 0) this.features.add('field with arguments');
    for (const { type, variable } of argumentValues) {
      if (!variable) continue;
      this.variableDefinitions.set(variable.name, type);
      this.variables[variable.name] = variable.value;
      this.features.add('argument as variable');
    }
    const args = argumentValues.length > 0 ? `(${argumentValues.map((arg) => `${arg.name}: ${arg.text}`).join(', ')})` : '';
    const directive = this.directive();
    if (!isCompositeType(named)) return { text: `${alias ?? ''}${field.name}${args}${directive}`, depth: 1 };
    if (isInterfaceType(named)) this.features.add('field of interface type');
    if (isUnionType(named)) this.features.add('field of union type');
    if (isAbstractType(named) && isAbstractType(type)) this.features.add('abstract type inside an abstract type');
    const inner = this.selectionSet(named, fieldDepth - 1, level + 1);
    if (isAbstractType(named) && inner.text === '{ __typename }') this.features.add('__typename alone under an abstract field');
    return { text: `${alias ?? ''}${field.name}${args}${directive} ${inner.text}`, depth: 1 + inner.depth };
  }

  /**
   * The alias prefix (`key: `) for a field, `''` for none, or undefined when
   * the field's own name is taken by a different use and the caller must decide.
   */
  private alias(field: string, type: string, args: ArgumentValue[]): string | undefined {
    const mode = this.choose.pick(['none', 'none', 'none', 'none', 'none', 'unique', 'self', 'shared', 'prototype'] as const);
    if (mode === 'unique') return this.uniqueAlias(field, type, args);
    if (mode === 'shared') {
      const signature = `${field}(${args.map((arg) => `${arg.name}:${arg.text}`).join(',')}):${type}`;
      let key = this.sharedAliases.get(signature);
      if (!key) {
        key = `shared${this.sharedAliases.size + 1}`;
        this.sharedAliases.set(signature, key);
      }
      this.features.add('shared alias, colliding safely');
      this.claim(key, field, type, args);
      return `${key}: `;
    }
    if (mode === 'prototype') {
      const key = this.choose.pick(PROTOTYPE_NAMES);
      if (this.claim(key, field, type, args)) {
        this.features.add('Object.prototype name as alias');
        return `${key}: `;
      }
      return this.uniqueAlias(field, type, args);
    }
    if (this.claim(field, field, type, args)) {
      if (mode === 'self') this.features.add('alias equal to the field name');
      return mode === 'self' ? `${field}: ` : '';
    }
    return undefined;
  }

  private uniqueAlias(field: string, type: string, args: ArgumentValue[]): string {
    this.counter += 1;
    const key = `a${this.counter}`;
    this.claim(key, field, type, args);
    this.features.add('unique alias');
    return `${key}: `;
  }

  /** Takes `key` for this use; false when it already stands for a different one. */
  private claim(key: string, field: string, type: string, args: ArgumentValue[]): boolean {
    const earlier = this.keys.get(key);
    if (!earlier) {
      this.keys.set(key, { field, type, arguments: args });
      return true;
    }
    return earlier.field === field && earlier.type === type && sameArguments(earlier.arguments, args);
  }

  /** Whether an earlier use's arguments are valid, and complete, for this field. */
  private compatible(field: GraphQLField<unknown, unknown>, earlier: KeyUse): boolean {
    if (earlier.field !== field.name || earlier.type !== String(field.type)) return false;
    const given = new Set(earlier.arguments.map((arg) => arg.name));
    return (
      earlier.arguments.every((arg) =>
        field.args.some((definition) => definition.name === arg.name && String(definition.type) === arg.type),
      ) && field.args.every((definition) => !isRequired(definition) || given.has(definition.name))
    );
  }

  private argumentsFor(field: GraphQLField<unknown, unknown>): ArgumentValue[] {
    const chosen: ArgumentValue[] = [];
    for (const argument of field.args) {
      if (!isRequired(argument) && !this.choose.chance(0.5)) continue;
      const type = String(argument.type);
      const named = getNamedType(argument.type);
      const nullable = isNonNullType(argument.type) ? argument.type.ofType : argument.type;
      if (isLeafType(named) && !isListType(nullable) && this.choose.chance(0.15)) {
        this.counter += 1;
        const name = `arg${this.counter}`;
        chosen.push({
          name: argument.name,
          type,
          text: `$${name}`,
          variable: { name, value: this.rawValue(argument.name, named.name, named) },
        });
        continue;
      }
      chosen.push({ name: argument.name, type, text: this.literal(argument.name, argument.type) });
    }
    return chosen;
  }

  private rawValue(argument: string, typeName: string, named: GraphQLInputType): unknown {
    if (isEnumType(named)) return this.choose.pick(named.getValues()).name;
    const values = this.options.argumentValues.byName[argument] ?? this.options.argumentValues.byType[typeName] ?? DEFAULT_VALUES[typeName];
    if (!values || values.length === 0) throw new Error(`no values to generate for argument ${argument} of type ${typeName}`);
    return this.choose.pick(values);
  }

  private literal(argument: string, type: GraphQLInputType): string {
    if (!isNonNullType(type) && this.choose.chance(0.1)) return 'null';
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) {
      const items = Array.from({ length: this.choose.int(0, 2) }, () => this.literal(argument, inner.ofType as GraphQLInputType));
      return `[${items.join(', ')}]`;
    }
    if (isInputObjectType(inner)) {
      const fields = Object.values(inner.getFields()).filter(
        (field) => (isNonNullType(field.type) && field.defaultValue === undefined) || this.choose.chance(0.5),
      );
      return `{ ${fields.map((field) => `${field.name}: ${this.literal(field.name, field.type)}`).join(', ')} }`;
    }
    if (isEnumType(inner)) return this.choose.pick(inner.getValues()).name;
    const value = this.rawValue(argument, inner.name, inner);
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  }

  /** Sometimes @include or @skip, on a literal or on a variable. */
  private directive(): string {
    if (!this.choose.chance(0.2)) return '';
    const name = this.choose.pick(['include', 'skip']);
    if (this.choose.chance(0.5)) {
      this.features.add('@include/@skip literal');
      return ` @${name}(if: ${this.choose.pick(['true', 'false'])})`;
    }
    this.features.add('@include/@skip variable');
    // `$on` is required; `$maybe` has a default and is sometimes left out of the variables.
    const variable = this.choose.pick(['on', 'maybe']);
    if (!this.variableDefinitions.has(variable)) {
      this.variableDefinitions.set(variable, variable === 'on' ? 'Boolean!' : 'Boolean = true');
      if (variable === 'on' || this.choose.chance(0.5)) this.variables[variable] = this.choose.chance(0.5);
    }
    return ` @${name}(if: $${variable})`;
  }

  /** Types a fragment may be spread on inside `type`: those sharing a possible object type with it. */
  private fragmentTypes(type: GraphQLCompositeType): GraphQLCompositeType[] {
    const possible = new Set(this.possibleTypes(type).map((object) => object.name));
    return Object.values(this.schema.getTypeMap()).filter(
      (candidate): candidate is GraphQLCompositeType =>
        isCompositeType(candidate) &&
        !candidate.name.startsWith('__') &&
        this.possibleTypes(candidate).some((object) => possible.has(object.name)),
    );
  }

  private possibleTypes(type: GraphQLCompositeType) {
    return isAbstractType(type) ? this.schema.getPossibleTypes(type) : [type];
  }

  private noteFragmentOn(condition: GraphQLCompositeType, parent: GraphQLCompositeType): void {
    if (condition === parent) this.features.add('inline fragment on the parent type');
    if (isInterfaceType(condition)) this.features.add('inline fragment on an interface');
    else if (isUnionType(condition)) this.features.add('inline fragment on a union');
    else if (isObjectType(condition)) this.features.add('inline fragment on an object type');
    if (isAbstractType(condition) && isAbstractType(parent) && condition !== parent)
      this.features.add('abstract type inside an abstract type');
  }

  /** Fragment bodies often start with __typename. */
  private fragmentBody(type: GraphQLCompositeType, fieldDepth: number, level: number): Selection {
    const body = this.selectionSet(type, fieldDepth, level);
    if (!this.choose.chance(0.5)) return body;
    return { text: `{ ${this.typename(type).text} ${body.text.slice(2)}`, depth: body.depth };
  }

  private inlineFragment(type: GraphQLCompositeType, fieldDepth: number, level: number, typed: boolean): Selection {
    const condition = typed ? this.choose.pick([type, ...this.fragmentTypes(type).filter((candidate) => candidate !== type)]) : type;
    if (typed) this.noteFragmentOn(condition, type);
    else this.features.add('fragment without type condition');
    const directive = typed ? this.directive() : this.choose.chance(0.5) ? this.directive() : '';
    const body = this.fragmentBody(condition, fieldDepth, level + 1);
    return { text: `...${typed ? ` on ${condition.name}` : ''}${directive} ${body.text}`, depth: 1 + body.depth };
  }

  /** A named fragment: one already defined that fits here, or a new one. */
  private spread(type: GraphQLCompositeType, fieldDepth: number, level: number): Selection {
    const fits = new Set(this.fragmentTypes(type));
    const reusable = this.fragments.filter((fragment) => fits.has(fragment.typeCondition) && level - 1 + fragment.depth <= MAX_NESTING);
    if (reusable.length === 0 && this.fragments.length >= MAX_FRAGMENTS) return this.inlineFragment(type, fieldDepth, level, true);
    let fragment: Fragment;
    if (reusable.length > 0 && (this.fragments.length >= MAX_FRAGMENTS || this.choose.chance(0.6))) {
      fragment = this.choose.pick(reusable);
    } else {
      const condition = this.choose.pick([type, ...[...fits].filter((candidate) => candidate !== type)]);
      this.counter += 1;
      const name = `F${this.counter}`;
      // The body counts at the level of the set it is spread in.
      const body = this.fragmentBody(condition, fieldDepth, level);
      fragment = { name, typeCondition: condition, text: body.text, depth: body.depth, spreads: 0 };
      this.fragments.push(fragment);
    }
    fragment.spreads += 1;
    this.features.add('named fragment');
    if (isAbstractType(fragment.typeCondition)) this.features.add('named fragment on an abstract type');
    return { text: `...${fragment.name}${this.directive()}`, depth: fragment.depth };
  }
}

function isRequired(argument: GraphQLArgument): boolean {
  return isNonNullType(argument.type) && argument.defaultValue === undefined;
}

function sameArguments(a: readonly ArgumentValue[], b: readonly ArgumentValue[]): boolean {
  const print = (args: readonly ArgumentValue[]) =>
    args
      .map((arg) => `${arg.name}:${arg.text}`)
      .sort()
      .join(',');
  return print(a) === print(b);
}

/** One random operation on the query root; throws, with the operation, should it not be valid (a generator bug). */
export function generateOperation(schema: GraphQLSchema, choose: Chooser, options: GeneratorOptions): GeneratedOperation {
  const operation = new OperationBuilder(schema, choose, options).build();
  const errors = validate(schema, parse(operation.query));
  if (errors.length > 0) {
    throw new Error(`generated an invalid operation:\n${operation.query}\n${errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return operation;
}
