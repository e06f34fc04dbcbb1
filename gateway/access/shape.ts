/**
 * The shape of a response as the client asked for it, made while filtering
 * its operation: for each response key, whether the field was denied (null
 * and an error), masked, or kept; and whose data an entity's selection
 * returns. Applied to the response after execution (apply-shape.ts).
 *
 * Where the selected type is an interface or a union, each concrete type an
 * object there may have gets its own shape, chosen by the object's
 * `__typename`: a field may be allowed on a `Visit` and denied on an
 * `Incident` selected through the same interface.
 */
import type { ArgumentNode, DirectiveNode, GraphQLInputType } from 'graphql';
import type { MaskerName } from './policy';

/** Alias of the field that stands in for a selection emptied by denials. */
export const PLACEHOLDER = '__govgraph_placeholder';
/** Alias of the key the gateway adds to learn whose data it returns (the audit's data subjects). */
export const SUBJECT_KEY = '__govgraph_key';
/** Alias of the `__typename` the gateway adds to learn which concrete type an object of an abstract type has. */
export const TYPE_KEY = '__govgraph_type';
/** Response keys the gateway uses for itself; a client may not choose them. */
export const RESERVED_PREFIX = '__govgraph';

export type ShapeField =
  /** Denied; answered with null unless every occurrence is skipped (one @include/@skip list per occurrence). */
  | { kind: 'deny'; coordinate: string; occurrences: (readonly DirectiveNode[])[] }
  | { kind: 'mask'; coordinate: string; masker: MaskerName; isPublic: boolean }
  | { kind: 'keep'; coordinate: string; isPublic: boolean; children?: Shape };

/**
 * A filter argument whose `inputField` selects by a non-public field: when a
 * request sets it, the objects it selects are data subjects of the response
 * whatever fields of them it returns.
 */
export interface SelectingFilter {
  argument: ArgumentNode;
  type: GraphQLInputType;
  inputField: string;
}

export interface Shape {
  fields: Map<string, ShapeField>;
  /** The selection was emptied by denials and holds only the placeholder. */
  placeholder: boolean;
  /** Set when the selection returns non-public fields of an entity: its type. */
  subjectType?: string;
  /**
   * Where the entity's id is in the response: the client's own key for it, or
   * SUBJECT_KEY (added by the gateway). One per selection merged here, the
   * first present wins: a selection @skip/@include left out brings no key, but
   * none of its data either.
   */
  subjectKeys?: readonly string[];
  /** Set on the objects a filter argument chose (the first objects of the type it filters below it). */
  selectedBy?: readonly SelectingFilter[];
  /** The object type this shape is for, when the selected type is an object type. */
  objectType?: string;
  /**
   * At an interface or union whose concrete types are shaped differently:
   * the shape of each concrete type, and where the object's `__typename` is
   * in the response (the client's own key, or TYPE_KEY added by the gateway;
   * one per selection merged here, the first present wins). `fields` is then
   * empty.
   */
  byType?: { typeKeys: readonly string[]; shapes: ReadonlyMap<string, Shape> };
}

export function emptyShape(objectType?: string): Shape {
  return objectType === undefined ? { fields: new Map(), placeholder: false } : { fields: new Map(), placeholder: false, objectType };
}

/** Whether applying the shape can change anything in a response; a shape that cannot is not walked. */
export function needsWalk(shape: Shape): boolean {
  if (shape.placeholder || shape.subjectType || shape.byType) return true;
  for (const field of shape.fields.values()) {
    if (field.kind !== 'keep' || !field.isPublic) return true;
    if (field.children && needsWalk(field.children)) return true;
  }
  return false;
}

function mergeFields(a: ShapeField, b: ShapeField): ShapeField {
  if (a.kind === 'deny' && b.kind === 'deny') return { ...a, occurrences: [...a.occurrences, ...b.occurrences] };
  // One concrete type, one response key: one field, so one decision. Fail closed should they ever differ.
  if (a.kind === 'deny') return a;
  if (b.kind === 'deny') return b;
  if (a.kind === 'keep' && b.kind === 'keep') {
    const children = a.children && b.children ? mergeShapes(a.children, b.children) : (a.children ?? b.children);
    return children ? { ...a, children } : a;
  }
  return a.kind === 'mask' ? a : b;
}

function union(a: readonly string[] | undefined, b: readonly string[] | undefined): readonly string[] {
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}

/**
 * Two selections of one response key, as the response merges them. Never
 * changes its arguments: a shape may be shared by several concrete types.
 */
export function mergeShapes(a: Shape, b: Shape): Shape {
  if (a === b) return a;
  const placeholder = a.placeholder || b.placeholder;
  if (a.byType && b.byType) {
    const shapes = new Map(a.byType.shapes);
    for (const [type, shape] of b.byType.shapes) {
      const existing = shapes.get(type);
      shapes.set(type, existing ? mergeShapes(existing, shape) : shape);
    }
    return { fields: new Map(), placeholder, byType: { typeKeys: union(a.byType.typeKeys, b.byType.typeKeys), shapes } };
  }
  if (a.byType || b.byType) {
    const [abstract, other] = a.byType ? [a, b] : [b, a];
    const byType = abstract.byType!;
    // An object type's selection (through a concrete parent) joins that type's shape.
    if (other.objectType === undefined) {
      // The other abstract selection needed no walk: it adds at most its placeholder.
      return { ...abstract, placeholder };
    }
    const shapes = new Map(byType.shapes);
    const existing = shapes.get(other.objectType);
    shapes.set(other.objectType, existing ? mergeShapes(existing, other) : other);
    return { fields: new Map(), placeholder, byType: { typeKeys: byType.typeKeys, shapes } };
  }
  const fields = new Map(a.fields);
  for (const [key, field] of b.fields) {
    const existing = fields.get(key);
    fields.set(key, existing ? mergeFields(existing, field) : field);
  }
  const merged: Shape = { fields, placeholder };
  if (a.objectType ?? b.objectType) merged.objectType = a.objectType ?? b.objectType;
  const subjectType = a.subjectType ?? b.subjectType;
  if (subjectType) {
    merged.subjectType = subjectType;
    merged.subjectKeys = union(a.subjectKeys, b.subjectKeys);
  }
  if (a.selectedBy || b.selectedBy) merged.selectedBy = [...new Set([...(a.selectedBy ?? []), ...(b.selectedBy ?? [])])];
  return merged;
}
