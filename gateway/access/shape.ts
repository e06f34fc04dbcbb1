/**
 * The shape of a response as the client asked for it, made while filtering
 * its operation: for each response key, whether the field was denied (null
 * and an error), masked, or kept; and whose data an entity's selection
 * returns. Applied to the response after execution (apply-shape.ts).
 */
import type { DirectiveNode } from 'graphql';
import type { MaskerName } from './policy';

/** Alias of the field that stands in for a selection emptied by denials. */
export const PLACEHOLDER = '__govgraph_placeholder';
/** Alias of the key the gateway adds to learn whose data it returns (the audit's data subjects). */
export const SUBJECT_KEY = '__govgraph_key';
/** Response keys the gateway uses for itself; a client may not choose them. */
export const RESERVED_PREFIX = '__govgraph';

export type ShapeField =
  /** Denied; answered with null unless every occurrence is skipped (one @include/@skip list per occurrence). */
  | { kind: 'deny'; coordinate: string; occurrences: (readonly DirectiveNode[])[] }
  | { kind: 'mask'; coordinate: string; masker: MaskerName; isPublic: boolean }
  | { kind: 'keep'; coordinate: string; isPublic: boolean; children?: Shape };

export interface Shape {
  fields: Map<string, ShapeField>;
  /** The selection was emptied by denials and holds only the placeholder. */
  placeholder: boolean;
  /** Set when the selection returns non-public fields of an entity: its type. */
  subjectType?: string;
  /** The response key of the entity's id when the client asked for it; SUBJECT_KEY (added by the gateway) when not. */
  subjectKey?: string;
}
