/**
 * The sharing lifecycle as stewards run it: a consumer's request, the data
 * authority's review, each provider's answer, escalation and coordination,
 * and revocation; each step checked against the rules (sharing-rules.ts),
 * taken in one transaction from the state it was decided on, so that of two
 * concurrent steps one wins and the other fails with INVALID_TRANSITION
 * and changes nothing. Approving makes the grant, which the gateway applies
 * within GRANTS_RELOAD_MS; revoking ends it as fast.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { BadUserInputError } from '../../common/errors';
import { inTransaction } from '../../common/database/transaction';
import type { Logger } from '../../common/logger';
import type { Catalog, Grant } from '../access/policy';
import { GrantRecord } from '../grants/grant.entity';
import { SharingPartRecord, SharingRequestRecord, SharingStepRecord } from './sharing.entities';
import {
  checkReason,
  checkRequest,
  DATA_OFFICE,
  ForbiddenStepError,
  InvalidTransitionError,
  isSteward,
  narrowTerms,
  TIME_LIMITS,
  type Actor,
  type Conditions,
  type GrantTerms,
  type RequestInput,
  type RequestStatus,
  type StepAction,
} from './sharing-rules';
import type { DueDate, WorkingCalendar } from './working-calendar';

/** One step as the audit trail records it: which request, what was done, the reason's hash (its text stays in the request's history). */
export interface SharingEvent {
  action: StepAction;
  request: string;
  provider?: string;
  grant?: string;
  reasonHash?: string;
}

export interface SharingRequestView extends SharingRequestRecord {
  parts: SharingPartRecord[];
  history: SharingStepRecord[];
}

export interface RequestFilter {
  status?: RequestStatus;
  consumer?: string;
  provider?: string;
  /** Only requests with an open step past its time limit (true), or none (false). */
  overdue?: boolean;
}

export interface SharingServiceOptions {
  dataSource: DataSource;
  catalog: Catalog;
  calendar: WorkingCalendar;
  /** Told of every step taken by the gateway itself (an expiry), to record it under the request id given. */
  recordSystemEvent: (event: SharingEvent, requestId: string) => void;
  /** Told once a step that made or ended a grant is committed, so that every replica applies it at once. */
  onGrantsChanged?: () => Promise<void>;
  logger: Logger;
  clock?: () => Date;
}

/** The SHA-256 of a reason, as the audit record holds it. */
export function reasonHash(reason: string | null): string | undefined {
  return reason === null ? undefined : createHash('sha256').update(reason).digest('hex');
}

function newId(prefix: string, now: Date): string {
  return `${prefix}-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex').toUpperCase()}`;
}

export class SharingService {
  private readonly clock: () => Date;

  constructor(private readonly options: SharingServiceOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** A consumer department's steward asks for CONDITIONAL fields of other departments. */
  async request(actor: Actor, input: RequestInput, auditRequestId: string): Promise<{ view: SharingRequestView; events: SharingEvent[] }> {
    this.requireSteward(actor);
    if (actor.department === DATA_OFFICE) throw new ForbiddenStepError('The data authority reviews requests; it does not file them');
    if (actor.department.length > 40) throw new BadUserInputError('The caller’s department is not one the workflow knows');
    const now = this.clock();
    const { request, providers } = checkRequest(input, actor.department, this.options.catalog, now);
    const id = newId('SR', now);
    const due = this.options.calendar.addWorkingDays(now, TIME_LIMITS.review);
    await inTransaction(this.options.dataSource, async (tx) => {
      await tx.insert(SharingRequestRecord, {
        id,
        consumer: actor.department,
        requestedBy: actor.sub,
        fields: request.fields,
        purposes: request.purposes,
        masked: request.masked,
        areas: request.areas,
        scenario: request.scenario,
        basis: request.basis,
        validUntil: request.validUntil,
        status: 'SUBMITTED',
        createdAt: now.toISOString(),
        ...dueColumns(due),
        version: 1,
      });
      for (const [provider, fields] of providers) {
        await tx.insert(SharingPartRecord, {
          requestId: id,
          provider,
          fields,
          status: 'WAITING',
          dueAt: null,
          dueDate: null,
          dueEstimated: null,
          grantId: null,
        });
      }
      await this.addStep(tx, id, now, actor, 'REQUEST', { auditRequestId });
    });
    return { view: (await this.find(id))!, events: [{ action: 'REQUEST', request: id }] };
  }

  /** The data authority's compliance review: forward to the providers, or return with a reason. */
  async review(actor: Actor, id: string, forward: boolean, reasonText: string | null | undefined, auditRequestId: string) {
    this.requireSteward(actor);
    if (actor.department !== DATA_OFFICE) throw new ForbiddenStepError('Only the data authority (data-office) reviews requests');
    const reason = checkReason(reasonText, !forward, 'Returning a request');
    const now = this.clock();
    const action: StepAction = forward ? 'FORWARD' : 'RETURN';
    await inTransaction(this.options.dataSource, async (tx) => {
      const request = await this.load(tx, id);
      if (request.status !== 'SUBMITTED')
        throw new InvalidTransitionError(`Request ${id} is ${request.status}: only a SUBMITTED request is reviewed`);
      if (forward) {
        const due = this.options.calendar.addWorkingDays(now, TIME_LIMITS.answer);
        await tx.update(SharingPartRecord, { requestId: id }, { status: 'PENDING', ...dueColumns(due) });
        await this.advance(tx, request, 'FORWARDED', null);
      } else {
        await this.advance(tx, request, 'RETURNED', null);
      }
      await this.addStep(tx, id, now, actor, action, { reason, auditRequestId });
    });
    return this.outcome(id, [{ action, request: id, ...hashed(reason) }]);
  }

  /**
   * A provider's steward answers its own part: approving makes a grant on
   * the conditions (narrower than asked, never wider); refusing needs a reason.
   */
  async answer(
    actor: Actor,
    id: string,
    approve: boolean,
    reasonText: string | null | undefined,
    conditions: Conditions | null | undefined,
    auditRequestId: string,
  ) {
    this.requireSteward(actor);
    const reason = checkReason(reasonText, !approve, 'Refusing a request');
    if (!approve && conditions) throw new BadUserInputError('conditions apply to an approval only');
    const now = this.clock();
    const provider = actor.department;
    let grantId: string | undefined;
    await inTransaction(this.options.dataSource, async (tx) => {
      const request = await this.load(tx, id);
      const part = await tx.findOne(SharingPartRecord, { where: { requestId: id, provider } });
      if (!part) throw new ForbiddenStepError(`Request ${id} asks nothing of ${provider}: only its providers answer it`);
      if (request.status !== 'FORWARDED' || part.status !== 'PENDING') {
        throw new InvalidTransitionError(
          `Request ${id} is ${request.status} and ${provider}'s part ${part.status}: only a forwarded, unanswered part is answered`,
        );
      }
      const terms = approve ? narrowTerms(termsOf(request, part.fields), conditions, this.options.catalog, now) : undefined;
      if (terms) grantId = await this.makeGrant(tx, request, provider, terms, now);
      // Only from PENDING: of two answers at once, the second finds nothing to change.
      const changed = await tx.update(
        SharingPartRecord,
        { requestId: id, provider, status: 'PENDING' },
        { status: approve ? 'APPROVED' : 'REFUSED', grantId: grantId ?? null },
      );
      if (changed.affected !== 1) throw new InvalidTransitionError(`${provider}'s part of request ${id} was answered meanwhile`);
      const open = await tx.count(SharingPartRecord, { where: { requestId: id, status: 'PENDING' } });
      await this.advance(tx, request, open === 0 ? 'ANSWERED' : 'FORWARDED', null);
      await this.addStep(tx, id, now, actor, approve ? 'APPROVE' : 'REFUSE', {
        provider,
        reason,
        conditions: terms ? { ...terms } : null,
        grantId: grantId ?? null,
        auditRequestId,
      });
    });
    return this.outcome(id, [
      { action: approve ? 'APPROVE' : 'REFUSE', request: id, provider, ...(grantId ? { grant: grantId } : {}), ...hashed(reason) },
    ]);
  }

  /** The consumer's steward takes a refusal to the data authority. */
  async escalate(actor: Actor, id: string, reasonText: string | null | undefined, auditRequestId: string) {
    this.requireSteward(actor);
    const reason = checkReason(reasonText, true, 'Escalating a request');
    const now = this.clock();
    await inTransaction(this.options.dataSource, async (tx) => {
      const request = await this.load(tx, id);
      if (request.consumer !== actor.department) throw new ForbiddenStepError('Only the department that filed a request escalates it');
      const refused = await tx.count(SharingPartRecord, { where: { requestId: id, status: 'REFUSED' } });
      if (request.status !== 'ANSWERED' || refused === 0) {
        throw new InvalidTransitionError(`Request ${id} is ${request.status}: only an answered request with a refusal is escalated`);
      }
      await this.advance(tx, request, 'ESCALATED', this.options.calendar.addWorkingDays(now, TIME_LIMITS.coordinate));
      await this.addStep(tx, id, now, actor, 'ESCALATE', { reason, auditRequestId });
    });
    return this.outcome(id, [{ action: 'ESCALATE', request: id, ...hashed(reason) }]);
  }

  /**
   * The data authority's final word on an escalated request: approving
   * grants the refused parts on the conditions (each part narrowed to its
   * own fields), refusing closes it; a reason either way.
   */
  async coordinate(
    actor: Actor,
    id: string,
    approve: boolean,
    reasonText: string | null | undefined,
    conditions: Conditions | null | undefined,
    auditRequestId: string,
  ) {
    this.requireSteward(actor);
    if (actor.department !== DATA_OFFICE) throw new ForbiddenStepError('Only the data authority (data-office) coordinates a dispute');
    const reason = checkReason(reasonText, true, 'Coordinating a request');
    if (!approve && conditions) throw new BadUserInputError('conditions apply to an approval only');
    const now = this.clock();
    const events: SharingEvent[] = [];
    await inTransaction(this.options.dataSource, async (tx) => {
      const request = await this.load(tx, id);
      if (request.status !== 'ESCALATED')
        throw new InvalidTransitionError(`Request ${id} is ${request.status}: only an escalated request is coordinated`);
      const refused = await tx.find(SharingPartRecord, { where: { requestId: id, status: 'REFUSED' }, order: { provider: 'ASC' } });
      const grants: Record<string, string> = {};
      if (approve) {
        const refusedFields = new Set(refused.flatMap((part) => part.fields));
        const strayMasked = (conditions?.masked ?? []).filter((field) => !refusedFields.has(field));
        if (strayMasked.length > 0)
          throw new BadUserInputError(`conditions.masked names ${strayMasked.join(', ')}, which no refused part asks for`);
        const wanted = conditions?.fields ?? null;
        const named = new Set(wanted ?? []);
        for (const part of refused) {
          const own = (fields: readonly string[] | null | undefined) => fields?.filter((field) => part.fields.includes(field));
          // Fields and masking name fields of any refused part: each part takes its own.
          const partConditions = conditions
            ? { ...conditions, fields: own(wanted) ?? null, masked: own(conditions.masked) ?? null }
            : conditions;
          for (const field of partConditions?.fields ?? []) named.delete(field);
          // A part none of whose fields are approved stays refused.
          if (partConditions?.fields && partConditions.fields.length === 0) continue;
          const terms = narrowTerms(termsOf(request, part.fields), partConditions, this.options.catalog, now);
          grants[part.provider] = await this.makeGrant(tx, request, part.provider, terms, now);
          await tx.update(
            SharingPartRecord,
            { requestId: id, provider: part.provider },
            { status: 'APPROVED', grantId: grants[part.provider] },
          );
        }
        if (named.size > 0)
          throw new BadUserInputError(`conditions.fields may only narrow the refused parts: ${[...named].join(', ')} was not refused`);
        if (Object.keys(grants).length === 0)
          throw new BadUserInputError('conditions.fields must keep at least one refused field; refuse instead');
      }
      await this.advance(tx, request, 'CLOSED', null);
      await this.addStep(tx, id, now, actor, 'COORDINATE', {
        reason,
        conditions: approve ? { approve: true, grants, ...(conditions ?? {}) } : { approve: false },
        auditRequestId,
      });
      events.push({
        action: 'COORDINATE',
        request: id,
        ...hashed(reason),
        ...(Object.keys(grants).length > 0 ? { grant: Object.values(grants).join(',') } : {}),
      });
    });
    return this.outcome(id, events);
  }

  /** The providing department's steward, or the data authority's, ends a grant with a reason; it stops applying within seconds. */
  async revoke(actor: Actor, grantId: string, reasonText: string | null | undefined, auditRequestId: string) {
    this.requireSteward(actor);
    const reason = checkReason(reasonText, true, 'Revoking a grant');
    const now = this.clock();
    let requestId: string | null = null;
    await inTransaction(this.options.dataSource, async (tx) => {
      const grant = await tx.findOne(GrantRecord, { where: { id: grantId } });
      if (!grant) throw new BadUserInputError(`No grant ${grantId}`);
      const provider = grant.provider ?? this.providerOf(grant.fields);
      if (actor.department !== DATA_OFFICE && actor.department !== provider) {
        throw new ForbiddenStepError(`Only ${provider} (its provider) or the data authority revokes grant ${grantId}`);
      }
      if (grant.revokedAt) throw new InvalidTransitionError(`Grant ${grantId} was revoked at ${grant.revokedAt}`);
      if (grant.validUntil <= now.toISOString()) throw new InvalidTransitionError(`Grant ${grantId} expired at ${grant.validUntil}`);
      const changed = await tx.update(
        GrantRecord,
        { id: grantId, revokedAt: IsNull() },
        { revokedAt: now.toISOString(), revokedBy: actor.sub, revokedReason: reason },
      );
      if (changed.affected !== 1) throw new InvalidTransitionError(`Grant ${grantId} was revoked meanwhile`);
      requestId = grant.requestId;
      if (requestId) {
        // Its request's row, locked (on PostgreSQL) so that steps numbered at once take turns.
        await this.load(tx, requestId);
        await this.addStep(tx, requestId, now, actor, 'REVOKE', { provider, reason, grantId, auditRequestId });
      }
    });
    const event: SharingEvent = { action: 'REVOKE', request: requestId ?? '', grant: grantId, ...hashed(reason) };
    await this.announce([event]);
    return { grant: await this.options.dataSource.getRepository(GrantRecord).findOneOrFail({ where: { id: grantId } }), events: [event] };
  }

  /** A request with its parts and history, or undefined if there is none by that id. */
  async find(id: string): Promise<SharingRequestView | undefined> {
    const manager = this.options.dataSource.manager;
    const request = await manager.findOne(SharingRequestRecord, { where: { id } });
    if (!request) return undefined;
    const [parts, history] = await Promise.all([
      manager.find(SharingPartRecord, { where: { requestId: id }, order: { provider: 'ASC' } }),
      manager.find(SharingStepRecord, { where: { requestId: id }, order: { seq: 'ASC' } }),
    ]);
    return Object.assign(request, { parts, history });
  }

  /** The request if `actor` may see it: the data authority sees every one, a department those it filed or provides for. */
  async visible(actor: Actor, id: string): Promise<SharingRequestView | undefined> {
    const view = await this.find(id);
    if (!view) return undefined;
    if (actor.department === DATA_OFFICE || view.consumer === actor.department || view.parts.some((p) => p.provider === actor.department))
      return view;
    return undefined;
  }

  /** Requests `actor` may see matching `filter`, newest first, `first` from after the request `after`. */
  async list(actor: Actor, filter: RequestFilter, first: number, after: string | undefined) {
    const now = this.clock().toISOString();
    const query = this.options.dataSource.createQueryBuilder(SharingRequestRecord, 'r');
    if (actor.department !== DATA_OFFICE) {
      query.andWhere('(r.consumer = :own OR EXISTS (SELECT 1 FROM sharing_part o WHERE o.request_id = r.id AND o.provider = :own))', {
        own: actor.department,
      });
    }
    if (filter.status) query.andWhere('r.status = :status', { status: filter.status });
    if (filter.consumer) query.andWhere('r.consumer = :consumer', { consumer: filter.consumer });
    if (filter.provider) {
      query.andWhere('EXISTS (SELECT 1 FROM sharing_part p WHERE p.request_id = r.id AND p.provider = :provider)', {
        provider: filter.provider,
      });
    }
    if (filter.overdue !== undefined) {
      const overdue =
        "((r.status IN ('SUBMITTED', 'ESCALATED') AND r.due_at < :now) OR " +
        "(r.status = 'FORWARDED' AND EXISTS (SELECT 1 FROM sharing_part d WHERE d.request_id = r.id AND d.status = 'PENDING' AND d.due_at < :now)))";
      query.andWhere(filter.overdue ? overdue : `NOT ${overdue}`, { now });
    }
    const total = query.clone();
    if (after) {
      const cursor = await this.options.dataSource.manager.findOne(SharingRequestRecord, { where: { id: after } });
      if (!cursor) throw new BadUserInputError('after is not a cursor returned by this list');
      query.andWhere('(r.created_at < :at OR (r.created_at = :at AND r.id < :id))', { at: cursor.createdAt, id: cursor.id });
    }
    const rows = await query
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(first + 1)
      .getMany();
    const page = await Promise.all(rows.slice(0, first).map((row) => this.find(row.id)));
    return { nodes: page as SharingRequestView[], hasNextPage: rows.length > first, totalCount: () => total.getCount() };
  }

  /** Whether a request or part waits on a step past its time limit now. */
  overdue(dueAt: string | null, open: boolean): boolean {
    return open && dueAt !== null && dueAt < this.clock().toISOString();
  }

  /**
   * Records, once, the expiry of every grant that came from a request and
   * has passed its validity: a step of its request and an audit record.
   * Several replicas may run it; the first to mark a grant records it.
   */
  async recordExpiries(): Promise<number> {
    const now = this.clock();
    const expired = await this.options.dataSource
      .createQueryBuilder(GrantRecord, 'g')
      .where('g.valid_until <= :now AND g.expiry_recorded_at IS NULL AND g.revoked_at IS NULL AND g.request_id IS NOT NULL', {
        now: now.toISOString(),
      })
      .getMany();
    let recorded = 0;
    for (const grant of expired) {
      const auditRequestId = randomUUID();
      const won = await inTransaction(this.options.dataSource, async (tx) => {
        const changed = await tx.update(GrantRecord, { id: grant.id, expiryRecordedAt: IsNull() }, { expiryRecordedAt: now.toISOString() });
        if (changed.affected !== 1) return false;
        await this.load(tx, grant.requestId!);
        await this.addStep(tx, grant.requestId!, now, { sub: 'govgraph', department: '', roles: [] }, 'EXPIRE', {
          provider: grant.provider,
          reason: `validity ended at ${grant.validUntil}`,
          grantId: grant.id,
          auditRequestId,
        });
        return true;
      });
      if (won) {
        recorded += 1;
        this.options.recordSystemEvent(
          {
            action: 'EXPIRE',
            request: grant.requestId!,
            grant: grant.id,
            ...hashed(`validity ended at ${grant.validUntil}`),
          },
          auditRequestId,
        );
      }
    }
    return recorded;
  }

  /**
   * Gives every grant that has no request (the sandbox's seeds) the history
   * it would have had: filed by its consumer, forwarded by the data
   * authority, approved by its provider, all at its validFrom.
   */
  async seedHistory(auditRequestId: string): Promise<SharingEvent[]> {
    const events: SharingEvent[] = [];
    const orphans = await this.options.dataSource.getRepository(GrantRecord).find({ where: { requestId: IsNull() }, order: { id: 'ASC' } });
    for (const grant of orphans) {
      const at = new Date(grant.validFrom);
      const id = `SR-SEED-${grant.id}`;
      const provider = this.providerOf(grant.fields);
      await inTransaction(this.options.dataSource, async (tx) => {
        await tx.insert(SharingRequestRecord, {
          id,
          consumer: grant.consumer,
          requestedBy: `${grant.consumer}-steward`,
          fields: [...grant.fields],
          purposes: [...grant.purposes],
          masked: [...grant.masked],
          areas: grant.areas ?? null,
          scenario: 'sandbox sample grant',
          basis: 'sandbox',
          validUntil: grant.validUntil,
          status: 'ANSWERED',
          createdAt: at.toISOString(),
          dueAt: null,
          dueDate: null,
          dueEstimated: null,
          version: 1,
        });
        await tx.insert(SharingPartRecord, {
          requestId: id,
          provider,
          fields: [...grant.fields],
          status: 'APPROVED',
          dueAt: null,
          dueDate: null,
          dueEstimated: null,
          grantId: grant.id,
        });
        await this.addStep(tx, id, at, { sub: `${grant.consumer}-steward`, department: grant.consumer, roles: [] }, 'REQUEST', {
          auditRequestId,
        });
        await this.addStep(tx, id, at, { sub: 'data-office-steward', department: DATA_OFFICE, roles: [] }, 'FORWARD', {
          auditRequestId,
        });
        await this.addStep(tx, id, at, { sub: `${provider}-steward`, department: provider, roles: [] }, 'APPROVE', {
          provider,
          grantId: grant.id,
          conditions: {
            fields: grant.fields,
            purposes: grant.purposes,
            masked: grant.masked,
            validUntil: grant.validUntil,
            areas: grant.areas ?? null,
          },
          auditRequestId,
        });
        await tx.update(GrantRecord, { id: grant.id }, { requestId: id, provider });
      });
      events.push(
        { action: 'REQUEST', request: id },
        { action: 'FORWARD', request: id },
        { action: 'APPROVE', request: id, provider, grant: grant.id },
      );
    }
    return events;
  }

  /** The department providing `fields` (the first owner of the first field in the catalog). */
  private providerOf(fields: readonly string[]): string {
    return this.options.catalog.get(fields[0] ?? '')?.owners[0] ?? 'unknown';
  }

  private requireSteward(actor: Actor): void {
    if (!isSteward(actor)) throw new ForbiddenStepError('Only a steward takes steps of the sharing workflow');
  }

  /**
   * The request a step starts from. On PostgreSQL its row is locked until
   * the step commits, so that steps on one request queue rather than fail:
   * two providers answering at once both succeed, one after the other. (On
   * SQLite, transactions already run one at a time.)
   */
  private async load(tx: EntityManager, id: string): Promise<SharingRequestRecord> {
    const locked = this.options.dataSource.options.type === 'postgres';
    const request = await tx.findOne(SharingRequestRecord, {
      where: { id },
      ...(locked ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!request) throw new BadUserInputError(`No sharing request ${id}`);
    return request;
  }

  /** Moves a request to `status` from the version it was read at: a step taken meanwhile makes this one fail. */
  private async advance(tx: EntityManager, request: SharingRequestRecord, status: RequestStatus, due: DueDate | null): Promise<void> {
    const changed = await tx.update(
      SharingRequestRecord,
      { id: request.id, version: request.version },
      { status, version: request.version + 1, ...dueColumns(due) },
    );
    if (changed.affected !== 1) throw new InvalidTransitionError(`Request ${request.id} changed meanwhile; look at it again`);
  }

  private async addStep(
    tx: EntityManager,
    requestId: string,
    at: Date,
    actor: Actor,
    action: StepAction,
    step: {
      provider?: string | null;
      reason?: string | null;
      conditions?: Record<string, unknown> | null;
      grantId?: string | null;
      auditRequestId: string | null;
    },
  ): Promise<void> {
    const last = await tx
      .createQueryBuilder(SharingStepRecord, 's')
      .select('MAX(s.seq)', 'seq')
      .where('s.request_id = :requestId', { requestId })
      .getRawOne<{ seq: number | null }>();
    await tx.insert(SharingStepRecord, {
      requestId,
      seq: Number(last?.seq ?? 0) + 1,
      at: at.toISOString(),
      actor: actor.sub,
      actorDepartment: actor.department || null,
      action,
      provider: step.provider ?? null,
      reason: step.reason ?? null,
      conditions: step.conditions ? JSON.stringify(step.conditions) : null,
      grantId: step.grantId ?? null,
      auditRequestId: step.auditRequestId,
    });
  }

  private async makeGrant(
    tx: EntityManager,
    request: SharingRequestRecord,
    provider: string,
    terms: GrantTerms,
    now: Date,
  ): Promise<string> {
    const id = newId('G', now);
    const grant: Grant & { requestId: string; provider: string } = {
      id,
      consumer: request.consumer,
      fields: terms.fields,
      purposes: terms.purposes,
      masked: terms.masked,
      validFrom: now.toISOString(),
      validUntil: terms.validUntil,
      revokedAt: null,
      areas: terms.areas,
      requestId: request.id,
      provider,
    };
    await tx.insert(GrantRecord, {
      ...grant,
      fields: [...grant.fields],
      purposes: [...grant.purposes],
      masked: [...grant.masked],
      areas: terms.areas,
    });
    return id;
  }

  private async outcome(id: string, events: SharingEvent[]): Promise<{ view: SharingRequestView; events: SharingEvent[] }> {
    await this.announce(events);
    return { view: (await this.find(id))!, events };
  }

  private async announce(events: readonly SharingEvent[]): Promise<void> {
    if (events.some((event) => event.grant)) await this.options.onGrantsChanged?.();
  }
}

/** What a part asks for, as the terms an approval narrows. */
function termsOf(request: SharingRequestRecord, fields: string[]): GrantTerms {
  return {
    fields,
    purposes: request.purposes,
    masked: request.masked.filter((field) => fields.includes(field)),
    validUntil: request.validUntil,
    areas: request.areas,
  };
}

function dueColumns(due: DueDate | null) {
  return { dueAt: due?.endsAt ?? null, dueDate: due?.date ?? null, dueEstimated: due ? due.estimated : null };
}

function hashed(reason: string | null): { reasonHash?: string } {
  const hash = reasonHash(reason);
  return hash ? { reasonHash: hash } : {};
}
