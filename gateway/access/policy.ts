/**
 * The vocabulary of sharing decisions: classifications read from the
 * supergraph, grants from the gateway's store, and the closed set of
 * actions. Pure data, no I/O.
 */
import type { MaskerName, SharingLevel } from '../../common/sharing-directive';

export { MASKERS, SHARING_LEVELS, type MaskerName, type SharingLevel } from '../../common/sharing-directive';

/** How one field is classified by the department that owns it (共享目录). */
export interface FieldPolicy {
  /** `Type.field`. */
  coordinate: string;
  /** Departments whose subgraphs resolve the field. */
  owners: readonly string[];
  sharing: SharingLevel;
  /** Applied when another department may see the field only in part. */
  masker?: MaskerName;
  /**
   * For mutations: the roles of the owning department that may call it. For
   * other fields (the audit trail, grants): the roles that may read it,
   * whatever the department; nobody else may.
   */
  roles?: readonly string[];
  /**
   * For a field an @interfaceObject adds to an interface: the same field on
   * every implementation. Its subgraph resolves it for the interface, so the
   * query planner fetches it for objects of all these types at once.
   */
  resolvedTogether?: readonly string[];
  /** Fields its subgraph needs to resolve it (@requires): the query planner fetches them first. */
  requires?: readonly string[];
}

/** Field policies by coordinate. A coordinate missing here is unclassified, and so denied. */
export type Catalog = ReadonlyMap<string, FieldPolicy>;

/** A data-sharing agreement: one consumer department, some CONDITIONAL fields, some purposes, for a time. */
export interface Grant {
  id: string;
  consumer: string;
  fields: readonly string[];
  purposes: readonly string[];
  /** Fields of `fields` the consumer receives only masked (with the field's default masker). */
  masked: readonly string[];
  validFrom: string;
  validUntil: string;
  revokedAt?: string | null;
  /** Area-code prefixes the grant is limited to: it applies only to a caller whose areas all lie within them. */
  areas?: readonly string[] | null;
}

export type Action = 'ALLOW' | 'MASK' | 'DENY';

export type DecisionReason =
  | 'UNCLASSIFIED'
  | 'OWNER'
  | 'UNCONDITIONAL'
  | 'NOT_SHARED'
  | 'GRANTED'
  | 'NO_GRANT'
  | 'NO_MASKER'
  | 'MUTATION_BY_OWNER'
  | 'MUTATION_NOT_ALLOWED'
  | 'ROLE'
  | 'ROLE_REQUIRED'
  /** `__schema` and `__type`: the schema is not data, open to every caller let in. */
  | 'INTROSPECTION'
  /** Resolved together with the same field of another type (an interface object's), which is denied. */
  | 'DENIED_FOR_ANOTHER_TYPE'
  /** Its subgraph needs (@requires) a field the caller may not see, which would be fetched for it. */
  | 'REQUIRES_DENIED_FIELD';

export interface Decision {
  action: Action;
  reason: DecisionReason;
  masker?: MaskerName;
  /** The grant that allowed a CONDITIONAL field. */
  grant?: string;
}

/** The subgraph the gateway serves itself (the steward API): it belongs to no department, so its fields go by role alone. */
export const STEWARD_SUBGRAPH = 'steward';

export interface Caller {
  department: string;
  roles: readonly string[];
  /** The caller's jurisdiction, as area-code prefixes; grants limited to areas look at it. */
  areas?: readonly string[];
}
