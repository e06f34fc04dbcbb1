import { GraphQLBoolean, valueFromAST, type DirectiveNode, type GraphQLFormattedError } from 'graphql';
import { PLACEHOLDER, SUBJECT_KEY, TYPE_KEY, type SelectingFilter, type Shape, type ShapeField } from './shape';
import { applyMasker, type Masker } from './maskers';
import type { MaskerName } from './policy';

type Path = (string | number)[];
type Variables = Record<string, unknown> | undefined;

/** @include/@skip as the client wrote them: a skipped field was not asked for, so it gets no null and no error. */
function isIncluded(conditions: readonly DirectiveNode[], variables: Variables): boolean {
  for (const directive of conditions) {
    const name = directive.name.value;
    if (name !== 'include' && name !== 'skip') continue;
    const argument = directive.arguments?.find((arg) => arg.name.value === 'if');
    const value = argument ? valueFromAST(argument.value, GraphQLBoolean, variables) : undefined;
    if (name === 'include' && value !== true) return false;
    if (name === 'skip' && value === true) return false;
  }
  return true;
}

/** Whether this request sets a filter's input field (to anything but null). */
function isFilterSet(filter: SelectingFilter, variables: Variables): boolean {
  const value = valueFromAST(filter.argument.value, filter.type, variables) as Record<string, unknown> | null | undefined;
  return value !== null && value !== undefined && value[filter.inputField] !== null && value[filter.inputField] !== undefined;
}

/** Own data properties only: a response key such as `__proto__` is data, never the object's prototype. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  // Plain assignment keeps the object's hidden class (and the serialiser's fast path); only
  // `__proto__` would set the prototype by assignment.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The value at the first of `keys` the object holds: keys of selections @skip/@include left out are absent. */
function firstPresent(target: Record<string, unknown>, keys: readonly string[] | undefined): unknown {
  for (const key of keys ?? []) if (Object.hasOwn(target, key)) return target[key];
  return undefined;
}

function forbidden(coordinate: string, path: Path): GraphQLFormattedError {
  return { message: `Not permitted to see ${coordinate}`, path, extensions: { code: 'FORBIDDEN_FIELD', coordinate } };
}

export interface Shaped {
  errors: GraphQLFormattedError[];
  /** The ids, by type, of every entity whose non-public fields the response carries. */
  subjects: Map<string, Set<string>>;
  /** Whether any non-public value was returned at all. */
  carriesNonPublic: boolean;
}

/** A shape's fields as an array, made once per shape: walked for every object of every response. */
const fieldLists = new WeakMap<Shape, [string, ShapeField][]>();

function fieldsOf(shape: Shape): [string, ShapeField][] {
  let list = fieldLists.get(shape);
  if (!list) {
    list = [...shape.fields];
    fieldLists.set(shape, list);
  }
  return list;
}

/**
 * After execution: null and one FORBIDDEN_FIELD error at each path of a
 * denied field, masked values where the decision was MASK, placeholders and
 * subject keys removed. Works in place on the response data; returns the
 * errors to add and the data subjects it returned.
 */
export function applyShape(
  data: Record<string, unknown> | null | undefined,
  shape: Shape,
  variables: Variables,
  maskers: Record<MaskerName, Masker>,
): Shaped {
  const errors: GraphQLFormattedError[] = [];
  const subjects = new Map<string, Set<string>>();
  let carriesNonPublic = false;
  // Whether each filter by a non-public field is set in this request: once per request, not per object.
  const setFilters = new Map<SelectingFilter, boolean>();
  const chosenByFilter = (node: Shape): boolean =>
    node.selectedBy?.some((filter) => {
      let set = setFilters.get(filter);
      if (set === undefined) setFilters.set(filter, (set = isFilterSet(filter, variables)));
      return set;
    }) === true;
  // The path of the object being walked, kept in one array: copied only for an error.
  const path: Path = [];
  const walk = (target: Record<string, unknown>, place: Shape): void => {
    let node = place;
    if (place.byType) {
      // An interface or union: the object's concrete type says how it is shaped.
      const typename = firstPresent(target, place.byType.typeKeys);
      const concrete = typeof typename === 'string' ? place.byType.shapes.get(typename) : undefined;
      if (Object.hasOwn(target, TYPE_KEY)) delete target[TYPE_KEY];
      if (place.placeholder) delete target[PLACEHOLDER];
      if (!concrete) {
        // No selection that needs shaping was included here; nothing of the gateway's own may stay.
        if (Object.hasOwn(target, SUBJECT_KEY)) delete target[SUBJECT_KEY];
        return;
      }
      node = concrete;
    }
    let returnedNonPublic = false;
    for (const [key, field] of fieldsOf(node)) {
      if (field.kind === 'deny') {
        if (!field.occurrences.some((conditions) => isIncluded(conditions, variables))) continue;
        put(target, key, null);
        errors.push(forbidden(field.coordinate, [...path, key]));
      } else if (Object.hasOwn(target, key)) {
        const value = target[key];
        if (value === null || value === undefined) continue;
        if (field.kind === 'mask') {
          const masked = applyMasker(maskers[field.masker], value);
          put(target, key, masked);
          if (!field.isPublic && masked !== null) returnedNonPublic = true;
          continue;
        }
        if (field.children) {
          path.push(key);
          descend(value, field.children);
          path.pop();
        }
        if (!field.isPublic) returnedNonPublic = true;
      }
    }
    if (node.placeholder) delete target[PLACEHOLDER];
    // An object a filter by a non-public field chose says that field's value, whatever else is returned of it.
    if (!returnedNonPublic && node.selectedBy) returnedNonPublic = chosenByFilter(node);
    if (returnedNonPublic) carriesNonPublic = true;
    if (node.subjectType) {
      const id = firstPresent(target, node.subjectKeys);
      if (returnedNonPublic && typeof id === 'string') {
        let ids = subjects.get(node.subjectType);
        if (!ids) subjects.set(node.subjectType, (ids = new Set()));
        ids.add(id);
      }
    }
    // Only the gateway's own key goes; an id the client asked for stays. The key is there only where a
    // subject is read, or at an interface, where it is asked once for every type, some needing none.
    if ((node.subjectType || place.byType) && Object.hasOwn(target, SUBJECT_KEY)) delete target[SUBJECT_KEY];
  };
  const descend = (value: unknown, node: Shape): void => {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index += 1) {
        const item: unknown = value[index];
        if (item === null) continue;
        path.push(index);
        descend(item, node);
        path.pop();
      }
    } else if (typeof value === 'object' && value !== null) walk(value as Record<string, unknown>, node);
  };
  if (data) walk(data, shape);
  return { errors, subjects, carriesNonPublic };
}

/** Strict mode: the whole operation is refused, naming each denied coordinate once. */
export function deniedCoordinates(shape: Shape): string[] {
  const found = new Set<string>();
  const visit = (node: Shape) => {
    for (const concrete of node.byType?.shapes.values() ?? []) visit(concrete);
    for (const field of node.fields.values()) {
      if (field.kind === 'deny') found.add(field.coordinate);
      else if (field.kind === 'keep' && field.children) visit(field.children);
    }
  };
  visit(shape);
  return [...found];
}
