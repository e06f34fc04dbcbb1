import { STEWARD_SUBGRAPH, type Caller, type Catalog, type Decision, type FieldPolicy, type Grant } from './policy';

/** A grant counts from validFrom until validUntil, unless revoked before now. */
export function isGrantActive(grant: Grant, now: string): boolean {
  return grant.validFrom <= now && now < grant.validUntil && !(grant.revokedAt && grant.revokedAt <= now);
}

/**
 * Whether a grant limited to some areas reaches a caller: every area of the
 * caller's jurisdiction lies within one of the grant's, so every row the
 * caller can be shown lies within the grant. A caller whose jurisdiction
 * reaches further does not have the grant at all.
 */
export function grantCoversAreas(grant: Grant, caller: Caller): boolean {
  if (!grant.areas || grant.areas.length === 0) return true;
  const areas = caller.areas ?? [];
  return areas.length > 0 && areas.every((area) => grant.areas!.some((granted) => area.startsWith(granted)));
}

/**
 * The decision for one field, one caller, one purpose (docs/access-control.md):
 * 1. unclassified → DENY; 2. the caller's department owns the field → ALLOW;
 * 3. UNCONDITIONAL → ALLOW, NONE → DENY; 4. CONDITIONAL → ALLOW or MASK
 * under an active grant for this department, field and purpose, else DENY.
 * Pure: no clock, no I/O; `now` is an ISO instant.
 */
export function decideField(
  policy: FieldPolicy | undefined,
  caller: Caller,
  purpose: string,
  grants: readonly Grant[],
  now: string,
): Decision {
  if (!policy) return { action: 'DENY', reason: 'UNCLASSIFIED' };
  // Fields kept for a role (the audit trail: stewards) go by role alone.
  if (policy.roles && policy.roles.length > 0) {
    return policy.roles.some((role) => caller.roles.includes(role))
      ? { action: 'ALLOW', reason: 'ROLE' }
      : { action: 'DENY', reason: 'ROLE_REQUIRED' };
  }
  if (policy.owners.includes(caller.department)) return { action: 'ALLOW', reason: 'OWNER' };
  switch (policy.sharing) {
    case 'UNCONDITIONAL':
      return { action: 'ALLOW', reason: 'UNCONDITIONAL' };
    case 'NONE':
      return { action: 'DENY', reason: 'NOT_SHARED' };
    case 'CONDITIONAL': {
      const grant = grants.find(
        (g) =>
          g.consumer === caller.department &&
          g.fields.includes(policy.coordinate) &&
          g.purposes.includes(purpose) &&
          isGrantActive(g, now) &&
          grantCoversAreas(g, caller),
      );
      if (!grant) return { action: 'DENY', reason: 'NO_GRANT' };
      if (!grant.masked.includes(policy.coordinate)) return { action: 'ALLOW', reason: 'GRANTED', grant: grant.id };
      // Fail closed: a field to be masked without a masker is not sent at all.
      if (!policy.masker) return { action: 'DENY', reason: 'NO_MASKER', grant: grant.id };
      return { action: 'MASK', reason: 'GRANTED', masker: policy.masker, grant: grant.id };
    }
    default: {
      const unreachable: never = policy.sharing;
      throw new Error(`unknown sharing level ${String(unreachable)}`);
    }
  }
}

/**
 * The decision for a field of the catalog, as the gateway makes it: the
 * field's own (decideField), and two rules for what the query planner
 * fetches beyond the fields an operation names:
 * - a field an @interfaceObject adds is resolved by its subgraph for the
 *   interface, and fetched for objects of every implementation at once,
 *   whatever type an operation's fragment names: it is allowed on one
 *   implementation only where it is allowed on all of them;
 * - a field whose subgraph needs other fields to resolve it (@requires) gets
 *   them fetched first: it is allowed only where the caller may see each of
 *   them.
 * Either way a field the caller may not see is never fetched for it.
 */
export function decideInCatalog(
  catalog: Catalog,
  coordinate: string,
  caller: Caller,
  purpose: string,
  grants: readonly Grant[],
  now: string,
  depth = 0,
): Decision {
  const policy = catalog.get(coordinate);
  const own = decideField(policy, caller, purpose, grants, now);
  if (own.action === 'DENY' || !policy) return own;
  const denied = (other: string) => decideField(catalog.get(other), caller, purpose, grants, now).action === 'DENY';
  if (policy.resolvedTogether?.some((other) => other !== coordinate && denied(other))) {
    return { action: 'DENY', reason: 'DENIED_FOR_ANOTHER_TYPE' };
  }
  // Requirements chain through their own requirements; a cycle is not a federation graph, so a short bound holds.
  const requirementDenied = (other: string) =>
    depth > 8 || decideInCatalog(catalog, other, caller, purpose, grants, now, depth + 1).action === 'DENY';
  if (policy.requires?.some(requirementDenied)) return { action: 'DENY', reason: 'REQUIRES_DENIED_FIELD' };
  return own;
}

/** Mutations are never shared: only the owning department's staff with a role the catalog names. */
export function decideMutation(policy: FieldPolicy | undefined, caller: Caller): Decision {
  // The steward API's mutations (the sharing workflow) are for stewards of any department: which
  // department may take which step is the workflow's own rule, checked where the step is taken.
  if (policy?.owners.length === 1 && policy.owners[0] === STEWARD_SUBGRAPH && policy.roles) {
    return policy.roles.some((role) => caller.roles.includes(role))
      ? { action: 'ALLOW', reason: 'ROLE' }
      : { action: 'DENY', reason: 'ROLE_REQUIRED' };
  }
  if (policy && policy.owners.includes(caller.department) && (policy.roles ?? []).some((role) => caller.roles.includes(role))) {
    return { action: 'ALLOW', reason: 'MUTATION_BY_OWNER' };
  }
  return { action: 'DENY', reason: policy ? 'MUTATION_NOT_ALLOWED' : 'UNCLASSIFIED' };
}
