/**
 * The rules of the sharing lifecycle, pure: what a request may ask for,
 * which step may follow which, who may take it, what an approval may
 * narrow, and the time limits. docs/sharing.md states them for stewards;
 * SharingService applies them and SharingStore keeps the result.
 *
 *   SUBMITTED ──review: forward──▶ FORWARDED ──every provider answers──▶ ANSWERED
 *       │                                                     │ (a part refused)
 *       └──review: return──▶ RETURNED              escalate ──▶ ESCALATED ──coordinate──▶ CLOSED
 */
import { AREA_PREFIX } from '../../common/area-code';
import { BadUserInputError, GovgraphError } from '../../common/errors';
import type { Catalog } from '../access/policy';
import { PURPOSES } from '../identity/purpose';

export const REQUEST_STATUSES = ['SUBMITTED', 'RETURNED', 'FORWARDED', 'ANSWERED', 'ESCALATED', 'CLOSED'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const PART_STATUSES = ['WAITING', 'PENDING', 'APPROVED', 'REFUSED'] as const;
export type PartStatus = (typeof PART_STATUSES)[number];
export type StepAction = 'REQUEST' | 'FORWARD' | 'RETURN' | 'APPROVE' | 'REFUSE' | 'ESCALATE' | 'COORDINATE' | 'REVOKE' | 'EXPIRE';

/** The county data authority (政务数据主管部门): it reviews, coordinates and may revoke. */
export const DATA_OFFICE = 'data-office';
export const STEWARD_ROLE = 'steward';

/**
 * Time limits in working days: the data authority reviews within 2; each
 * provider answers within 5; a coordination, for which the regulation
 * leaves the time to local rules, within 5 as well.
 */
export const TIME_LIMITS = { review: 2, answer: 5, coordinate: 5 } as const;

/** Reasons are not personal data, but they are kept bounded. */
export const MAX_REASON_LENGTH = 500;
const MAX_TEXT_LENGTH = 1000;
/** A grant lasts three years at most; a longer need is asked again. */
const MAX_VALIDITY_MS = 3 * 366 * 86_400_000;

/** A step that cannot follow the request's current state: nothing changes. */
export class InvalidTransitionError extends GovgraphError {
  constructor(message: string) {
    super('INVALID_TRANSITION', message);
  }
}

/** A caller whose department or role may not take this step. */
export class ForbiddenStepError extends GovgraphError {
  constructor(message: string) {
    super('FORBIDDEN_OPERATION', message);
  }
}

export interface Actor {
  sub: string;
  department: string;
  roles: readonly string[];
}

/** What a consumer asks for; `masked` fields are asked only in their masked form. */
export interface RequestInput {
  fields: string[];
  purposes: string[];
  scenario: string;
  basis: string;
  validUntil: string;
  masked?: string[] | null;
  areas?: string[] | null;
}

/** What a provider (or the data authority, coordinating) approves: each part as asked when left out. */
export interface Conditions {
  fields?: string[] | null;
  purposes?: string[] | null;
  masked?: string[] | null;
  validUntil?: string | null;
  areas?: string[] | null;
}

/** Conditions with nothing left out, as a grant is made from them. */
export interface GrantTerms {
  fields: string[];
  purposes: string[];
  masked: string[];
  validUntil: string;
  areas: string[] | null;
}

export function isSteward(actor: Actor): boolean {
  return actor.roles.includes(STEWARD_ROLE);
}

/** A reason as kept: trimmed, required where the rules require one, at most MAX_REASON_LENGTH characters. */
export function checkReason(reason: string | null | undefined, required: boolean, step: string): string | null {
  const text = (reason ?? '').trim();
  if (text === '') {
    if (required) throw new BadUserInputError(`${step} needs a reason`);
    return null;
  }
  if (text.length > MAX_REASON_LENGTH) throw new BadUserInputError(`reason must be at most ${MAX_REASON_LENGTH} characters`);
  return text;
}

function checkText(value: string, name: string): string {
  const text = value.trim();
  if (text === '') throw new BadUserInputError(`${name} must not be empty`);
  if (text.length > MAX_TEXT_LENGTH) throw new BadUserInputError(`${name} must be at most ${MAX_TEXT_LENGTH} characters`);
  return text;
}

/** Entries a list may hold: a request is read by people, and checked against every caller's areas. */
const MAX_ENTRIES = 100;

function unique(values: readonly string[], name: string): string[] {
  if (values.length > MAX_ENTRIES) throw new BadUserInputError(`${name} may list at most ${MAX_ENTRIES} entries`);
  if (new Set(values).size !== values.length) throw new BadUserInputError(`${name} lists an entry twice`);
  return [...values];
}

/** A date (YYYY-MM-DD, the end of which is meant: read as midnight UTC) or an instant with its offset, and a real one. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function checkInstant(value: string, name: string, now: Date): string {
  const match = ISO_INSTANT.exec(value);
  const parsed = match ? Date.parse(value) : NaN;
  // Date.parse rolls 2027-02-30 over to 2 March: the day must read back as written.
  const realDay =
    match &&
    !Number.isNaN(parsed) &&
    new Date(Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!)).toISOString().startsWith(`${match[1]}-${match[2]}-${match[3]}`);
  if (!realDay)
    throw new BadUserInputError(`${name} must be an ISO 8601 date (2027-06-30) or instant with its offset (2027-06-30T18:00:00+08:00)`);
  if (parsed <= now.getTime()) throw new BadUserInputError(`${name} must lie in the future`);
  if (parsed - now.getTime() > MAX_VALIDITY_MS) throw new BadUserInputError(`${name} must lie within three years`);
  return new Date(parsed).toISOString();
}

function checkAreas(areas: readonly string[] | null | undefined, name: string): string[] | null {
  if (areas === null || areas === undefined || areas.length === 0) return null;
  for (const area of areas) if (!AREA_PREFIX.test(area)) throw new BadUserInputError(`${name}: "${area}" is not an area-code prefix`);
  return unique(areas, name);
}

/** Whether every area of `inner` lies within one of `outer` (none: everywhere). */
export function areasWithin(inner: readonly string[] | null, outer: readonly string[] | null): boolean {
  if (outer === null) return true;
  if (inner === null) return false;
  return inner.every((area) => outer.some((prefix) => area.startsWith(prefix)));
}

/**
 * A request as kept, checked against the catalog: only CONDITIONAL fields
 * of another department; a NONE field, an unknown one, or one needing no
 * request is refused, naming why. Returns the request's fields by the
 * department that provides them, in the order asked.
 */
export function checkRequest(
  input: RequestInput,
  consumer: string,
  catalog: Catalog,
  now: Date,
): { request: GrantTerms & { scenario: string; basis: string }; providers: Map<string, string[]> } {
  if (input.fields.length === 0) throw new BadUserInputError('fields must name at least one field');
  const fields = unique(input.fields, 'fields');
  const providers = new Map<string, string[]>();
  for (const coordinate of fields) {
    const policy = catalog.get(coordinate);
    if (!policy || policy.roles) throw new BadUserInputError(`${coordinate} is not a field of the shared-data catalog`);
    if (policy.owners.includes(consumer)) throw new BadUserInputError(`${coordinate} is your own department's: it needs no request`);
    if (policy.sharing === 'NONE') {
      throw new BadUserInputError(`${coordinate} is not shared (NONE): its owner does not share it with any department`);
    }
    if (policy.sharing === 'UNCONDITIONAL') throw new BadUserInputError(`${coordinate} is shared unconditionally: it needs no request`);
    // A field resolved by several departments is provided by the first of them in the registry's order.
    const provider = policy.owners[0]!;
    providers.set(provider, [...(providers.get(provider) ?? []), coordinate]);
  }
  if (input.purposes.length === 0) throw new BadUserInputError('purposes must name at least one purpose');
  const purposes = unique(input.purposes, 'purposes');
  for (const purpose of purposes) {
    if (!(PURPOSES as readonly string[]).includes(purpose))
      throw new BadUserInputError(`purpose "${purpose}" is not one of ${PURPOSES.join(', ')}`);
  }
  const masked = unique(input.masked ?? [], 'masked');
  for (const coordinate of masked) {
    if (!fields.includes(coordinate)) throw new BadUserInputError(`masked names ${coordinate}, which fields does not`);
    if (!catalog.get(coordinate)!.masker) throw new BadUserInputError(`${coordinate} has no masker: it cannot be shared masked`);
  }
  return {
    request: {
      fields,
      purposes,
      masked,
      validUntil: checkInstant(input.validUntil, 'validUntil', now),
      areas: checkAreas(input.areas, 'areas'),
      scenario: checkText(input.scenario, 'scenario'),
      basis: checkText(input.basis, 'basis'),
    },
    providers,
  };
}

/**
 * What an approval grants, from what was asked (`asked`, one provider's
 * part) and the approver's conditions: each the same or narrower, never
 * wider. A field the consumer asked masked stays masked; a field can be
 * masked only if it has a masker.
 */
export function narrowTerms(asked: GrantTerms, conditions: Conditions | null | undefined, catalog: Catalog, now: Date): GrantTerms {
  const fields = conditions?.fields ? unique(conditions.fields, 'conditions.fields') : asked.fields;
  if (fields.length === 0) throw new BadUserInputError('conditions.fields must keep at least one field; refuse instead');
  const wider = (name: string, extra: readonly string[]) => {
    if (extra.length > 0) throw new BadUserInputError(`conditions.${name} may only narrow the request: ${extra.join(', ')} was not asked`);
  };
  wider(
    'fields',
    fields.filter((field) => !asked.fields.includes(field)),
  );
  const purposes = conditions?.purposes ? unique(conditions.purposes, 'conditions.purposes') : asked.purposes;
  if (purposes.length === 0) throw new BadUserInputError('conditions.purposes must keep at least one purpose; refuse instead');
  wider(
    'purposes',
    purposes.filter((purpose) => !asked.purposes.includes(purpose)),
  );
  const masked = unique(conditions?.masked ?? [], 'conditions.masked');
  for (const coordinate of masked) {
    if (!fields.includes(coordinate)) throw new BadUserInputError(`conditions.masked names ${coordinate}, which is not approved`);
    if (!catalog.get(coordinate)?.masker) throw new BadUserInputError(`${coordinate} has no masker: it cannot be shared masked`);
  }
  // What was asked masked is never approved in the clear.
  for (const coordinate of asked.masked) if (fields.includes(coordinate) && !masked.includes(coordinate)) masked.push(coordinate);
  const validUntil = conditions?.validUntil ? checkInstant(conditions.validUntil, 'conditions.validUntil', now) : asked.validUntil;
  if (validUntil > asked.validUntil)
    throw new BadUserInputError('conditions.validUntil may only shorten the request: it is later than asked');
  const areas = conditions?.areas ? checkAreas(conditions.areas, 'conditions.areas') : asked.areas;
  if (!areasWithin(areas, asked.areas))
    throw new BadUserInputError('conditions.areas may only narrow the request: an area lies outside those asked');
  return { fields, purposes, masked: masked.sort(), validUntil, areas };
}
