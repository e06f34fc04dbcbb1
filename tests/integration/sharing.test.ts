import path from 'node:path';
import { loadSecret } from '../../common/key-files';
import { AUDIT_ROW_COLUMNS, AUDIT_ROWS, fromRow } from '../../gateway/audit/audit-rows';
import { verifyChain } from '../../gateway/audit/verify-chain';
import { verifySharingSteps } from '../../gateway/sharing/verify-steps';
import type { Identity } from '../../gateway/identity/identity';
import { waitFor } from '../helpers/wait-for';
import { startPostgres, type Postgres } from './postgres';
import { startStack, type GraphQLResult, type Stack } from './stack';

interface Step {
  seq: number;
  actor: string;
  department: string | null;
  action: string;
  provider: string | null;
  reason: string | null;
  grant: string | null;
  requestId: string | null;
}

interface Request {
  id: string;
  consumer: string;
  status: string;
  fields: string[];
  due: { date: string; endsAt: string; estimated: boolean } | null;
  overdue: boolean;
  parts: { provider: string; status: string; grant: string | null; due: { date: string } | null }[];
  history: Step[];
}

const REQUEST_FIELDS = `id consumer status fields overdue due { date endsAt estimated }
  parts { provider status grant due { date } } history { seq actor department action provider reason grant requestId }`;

const steward = (department: string, sub = `${department}-steward`): Partial<Identity> => ({ sub, department, roles: ['steward'] });
const GRID = steward('grid');
const CIVIL = steward('civil-affairs');
const PETITIONS = steward('petitions');
const OFFICE = steward('data-office');
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/**
 * The sharing workflow end to end on the running stack, as stewards of four
 * departments take it through the steward API: a request, the data
 * authority's review, the provider's answer that makes the grant, the grant
 * applying to a grid worker within seconds, and its revocation.
 */
describe.each(['SQLite', 'PostgreSQL'])('the sharing lifecycle, the gateway on %s', (store) => {
  let stack: Stack;
  let postgres: Postgres | undefined;
  let township: string;
  let village: string;

  const act = async <T = Request>(as: Partial<Identity>, mutation: string, variables: Record<string, unknown> = {}) => {
    const result = await stack.query<Record<string, T>>(mutation, variables, { as, purpose: 'supervision' });
    return result;
  };
  const data = <T>(result: GraphQLResult<Record<string, T>>): T => {
    expect(result.errors).toBeUndefined();
    return Object.values(result.data!)[0]!;
  };
  const codeOf = (result: GraphQLResult<unknown>) => result.errors?.[0]?.extensions?.code;
  const refusedMessage = (result: GraphQLResult<unknown>) => result.errors?.[0]?.message;
  const file = (as: Partial<Identity>, input: Record<string, unknown>) =>
    act(as, `mutation ($input: SharingRequestInput!) { requestSharing(input: $input) { ${REQUEST_FIELDS} } }`, { input });
  const review = (as: Partial<Identity>, id: string, forward: boolean, reason?: string) =>
    act(
      as,
      `mutation ($id: ID!, $forward: Boolean!, $reason: String) { reviewSharingRequest(id: $id, forward: $forward, reason: $reason) { ${REQUEST_FIELDS} } }`,
      {
        id,
        forward,
        reason,
      },
    );
  const answer = (as: Partial<Identity>, id: string, approve: boolean, reason?: string, conditions?: Record<string, unknown>) =>
    act(
      as,
      `mutation ($id: ID!, $approve: Boolean!, $reason: String, $conditions: SharingConditions) {
        answerSharingRequest(id: $id, approve: $approve, reason: $reason, conditions: $conditions) { ${REQUEST_FIELDS} } }`,
      { id, approve, reason, conditions },
    );
  const get = async (as: Partial<Identity>, id: string) =>
    (await act<Request | null>(as, `query ($id: ID!) { sharingRequest(id: $id) { ${REQUEST_FIELDS} } }`, { id })).data!.sharingRequest!;
  const birthDateRequest = (overrides: Record<string, unknown> = {}) => ({
    fields: ['Resident.birthDate'],
    purposes: ['assistance'],
    scenario: '高龄津贴主动发现：网格员核对辖区80岁以上老人',
    basis: '《政务数据共享条例》第十四条',
    validUntil: inDays(365),
    areas: [township],
    ...overrides,
  });
  const birthDates = async (worker: Partial<Identity>) => {
    const result = await stack.query<{ residents: { nodes: { birthDate: string | null }[] } }>(
      '{ residents(first: 5) { nodes { birthDate } } }',
      undefined,
      { as: worker, purpose: 'assistance' },
    );
    return result.data!.residents.nodes.map((node) => node.birthDate);
  };

  beforeAll(async () => {
    if (store === 'PostgreSQL') {
      postgres = await startPostgres();
      await postgres.createDatabase('gateway');
    }
    stack = await startStack({
      residents: 300,
      seed: 97,
      ...(postgres ? { gatewayDatabase: { kind: 'postgres' as const, url: postgres.url('gateway') } } : {}),
    });
    village = stack.county.villages[0]!.code;
    township = village.slice(0, 9);
  });
  afterAll(async () => {
    await stack.stop();
    await postgres?.stop();
  });

  it('runs from request to grant to revocation, the grant applying within seconds, each step in the history and the trail', async () => {
    const worker = { sub: 'w-sharing', department: 'grid', roles: ['grid_worker'], areas: [village] };
    expect(await birthDates(worker)).toEqual([null, null, null, null, null]);

    const filed = data(await file(GRID, birthDateRequest()));
    expect(filed).toMatchObject({
      consumer: 'grid',
      status: 'SUBMITTED',
      overdue: false,
      parts: [{ provider: 'civil-affairs', status: 'WAITING' }],
    });
    expect(filed.due!.date > new Date().toISOString().slice(0, 10)).toBe(true);
    expect(data(await review(OFFICE, filed.id, true))).toMatchObject({ status: 'FORWARDED', due: null, parts: [{ status: 'PENDING' }] });
    const approved = data(
      await answer(CIVIL, filed.id, true, '同意，按年份脱敏，30天', { masked: ['Resident.birthDate'], validUntil: inDays(30) }),
    );
    expect(approved).toMatchObject({ status: 'ANSWERED', parts: [{ status: 'APPROVED', grant: expect.stringMatching(/^G-/) }] });
    const grantId = approved.parts[0]!.grant!;

    // Within the grants' reload: the year only, for a worker whose areas lie in the township.
    const years = await waitFor(async () => ((await birthDates(worker)).every((d) => d !== null) ? birthDates(worker) : undefined), {
      what: 'the worker to see birth years',
    });
    for (const year of years) expect(year).toMatch(/^\d{4}$/);
    // A worker over the whole county reaches beyond the township: the grant does not apply to it.
    expect(await birthDates({ ...worker, sub: 'w-county', areas: ['610921'] })).toEqual([null, null, null, null, null]);

    const revoked = await act<{ revokedAt: string; revokedReason: string; active: boolean; requestId: string }>(
      CIVIL,
      'mutation ($id: ID!) { revokeGrant(id: $id, reason: "津贴核对已完成") { revokedAt revokedReason active requestId } }',
      { id: grantId },
    );
    expect(data(revoked)).toMatchObject({ revokedReason: '津贴核对已完成', active: false, requestId: filed.id });
    await waitFor(async () => (await birthDates(worker)).every((d) => d === null) || undefined, { what: 'the worker denied again' });

    const history = (await get(GRID, filed.id)).history;
    expect(history.map((step) => [step.seq, step.action, step.department, step.reason])).toEqual([
      [1, 'REQUEST', 'grid', null],
      [2, 'FORWARD', 'data-office', null],
      [3, 'APPROVE', 'civil-affairs', '同意，按年份脱敏，30天'],
      [4, 'REVOKE', 'civil-affairs', '津贴核对已完成'],
    ]);
    expect(history[2]!.grant).toBe(grantId);

    // Each step is an audit record naming it, found by the request id its history gives; the chain verifies.
    const rows = async () =>
      (
        (await stack.gateway.database.query(`SELECT ${AUDIT_ROW_COLUMNS} FROM ${AUDIT_ROWS} ORDER BY e.seq`)) as Record<string, unknown>[]
      ).map(fromRow);
    const trail = await waitFor(
      async () => {
        const all = await rows();
        return history.every((step) => all.some((r) => r.requestId === step.requestId)) ? all : undefined;
      },
      { what: 'the records of every step' },
    );
    for (const step of history) {
      const record = trail.find((r) => r.requestId === step.requestId)!;
      expect(record.steps).toEqual([expect.objectContaining({ action: step.action, request: filed.id })]);
      expect(record.sub).toBe(step.actor);
    }
    const key = loadSecret('AUDIT_CHAIN_KEY', undefined, path.join(stack.dataDir, 'keys', 'gateway', 'audit-chain.key'));
    expect(verifyChain(key, trail)).toEqual({ intact: true, records: trail.length });
    // The history agrees with the trail: the sandbox's seeded steps too, each under the record that seeded it.
    const agreed = await verifySharingSteps(stack.gateway.database);
    expect(agreed.problems).toEqual([]);
    expect(agreed.steps).toBeGreaterThanOrEqual(5 * 3 + 4);
  });

  it('refuses a NONE field, an unknown one and one needing no request, naming why, and files nothing', async () => {
    const before = (await act(OFFICE, '{ sharingRequests(first: 1) { totalCount } }')).data!.sharingRequests as unknown as {
      totalCount: number;
    };
    for (const [field, reason] of [
      ['Benefit.monthlyAmount', /not shared \(NONE\)/],
      ['Resident.shoeSize', /not a field of the shared-data catalog/],
      ['Resident.gender', /needs no request/],
      ['Resident.careLevel', /your own department's/],
    ] as const) {
      const refused = await file(GRID, birthDateRequest({ fields: [field] }));
      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
      expect(refused.errors![0]!.message).toMatch(reason);
    }
    const after = (await act(OFFICE, '{ sharingRequests(first: 1) { totalCount } }')).data!.sharingRequests as unknown as {
      totalCount: number;
    };
    expect(after.totalCount).toBe(before.totalCount);
  });

  it('refuses a refusal without a reason and an approval wider than asked, changing nothing', async () => {
    const { id } = data(await file(GRID, birthDateRequest()));
    data(await review(OFFICE, id, true));
    for (const attempt of [
      answer(CIVIL, id, false),
      answer(CIVIL, id, false, '   '),
      answer(CIVIL, id, true, undefined, { fields: ['Resident.birthDate', 'Resident.phone'] }),
      answer(CIVIL, id, true, undefined, { purposes: ['assistance', 'statistics'] }),
      answer(CIVIL, id, true, undefined, { validUntil: inDays(400) }),
      answer(CIVIL, id, true, undefined, { areas: ['610921'] }),
      answer(CIVIL, id, true, undefined, { masked: ['Resident.name'] }),
    ]) {
      expect(codeOf(await attempt)).toBe('BAD_USER_INPUT');
    }
    expect(await get(OFFICE, id)).toMatchObject({ status: 'FORWARDED', parts: [{ status: 'PENDING', grant: null }] });
    expect((await get(OFFICE, id)).history.map((step) => step.action)).toEqual(['REQUEST', 'FORWARD']);
  });

  it('lets only the right department and role take each step: FORBIDDEN_OPERATION for every other actor', async () => {
    const { id } = data(await file(GRID, birthDateRequest()));
    const officer = { sub: 'grid-officer', department: 'grid', roles: ['officer'] };
    expect(codeOf(await file(OFFICE, birthDateRequest()))).toBe('FORBIDDEN_OPERATION');
    expect(codeOf(await file(officer, birthDateRequest()))).toMatch(/^FORBIDDEN_/);
    for (const wrong of [GRID, CIVIL, PETITIONS, officer]) expect(codeOf(await review(wrong, id, true))).toMatch(/^FORBIDDEN_/);
    data(await review(OFFICE, id, true));
    for (const wrong of [GRID, PETITIONS, OFFICE, { ...CIVIL, roles: ['officer'] }]) {
      expect(codeOf(await answer(wrong, id, true))).toMatch(/^FORBIDDEN_/);
    }
    const refused = data(await answer(CIVIL, id, false, '该字段仅用于本部门业务'));
    expect(refused.status).toBe('ANSWERED');
    const escalate = (as: Partial<Identity>) =>
      act(as, 'mutation ($id: ID!) { escalateSharingRequest(id: $id, reason: "高龄津贴发放需要") { status } }', { id });
    for (const wrong of [CIVIL, PETITIONS, OFFICE]) expect(codeOf(await escalate(wrong))).toBe('FORBIDDEN_OPERATION');
    expect(data(await escalate(GRID))).toMatchObject({ status: 'ESCALATED' });
    const coordinate = (as: Partial<Identity>) =>
      act(as, 'mutation ($id: ID!) { coordinateSharingRequest(id: $id, approve: false, reason: "维持原答复") { status } }', { id });
    for (const wrong of [GRID, CIVIL, PETITIONS]) expect(codeOf(await coordinate(wrong))).toBe('FORBIDDEN_OPERATION');
    // The sandbox's G1 is civil affairs' grant to the grid: neither the grid nor petitions may end it.
    const revoke = (as: Partial<Identity>) => act(as, 'mutation { revokeGrant(id: "G1", reason: "测试") { active } }');
    for (const wrong of [GRID, PETITIONS]) expect(codeOf(await revoke(wrong))).toBe('FORBIDDEN_OPERATION');
    // Only what it filed or provides for is shown to a department.
    expect(
      (await act<Request | null>(PETITIONS, `query ($id: ID!) { sharingRequest(id: $id) { id } }`, { id })).data!.sharingRequest,
    ).toBeNull();
  });

  it('fails steps out of order with INVALID_TRANSITION and changes nothing', async () => {
    const { id } = data(await file(GRID, birthDateRequest()));
    expect(codeOf(await answer(CIVIL, id, true))).toBe('INVALID_TRANSITION');
    data(await review(OFFICE, id, true));
    expect(codeOf(await review(OFFICE, id, true))).toBe('INVALID_TRANSITION');
    expect(codeOf(await act(GRID, 'mutation ($id: ID!) { escalateSharingRequest(id: $id, reason: "x") { status } }', { id }))).toBe(
      'INVALID_TRANSITION',
    );
    expect((await get(OFFICE, id)).history.map((step) => step.action)).toEqual(['REQUEST', 'FORWARD']);
  });

  it('takes one of two concurrent answers and refuses the other, making one grant at most', async () => {
    const { id } = data(await file(GRID, birthDateRequest()));
    data(await review(OFFICE, id, true));
    const [one, other] = await Promise.all([
      answer(steward('civil-affairs', 'ca-steward-1'), id, true),
      answer(steward('civil-affairs', 'ca-steward-2'), id, false, '不同意'),
    ]);
    expect([one, other].filter((result) => result.errors === undefined)).toHaveLength(1);
    expect([one, other].map(codeOf).filter(Boolean)).toEqual(['INVALID_TRANSITION']);
    const final = await get(OFFICE, id);
    expect(final.history.filter((step) => step.action === 'APPROVE' || step.action === 'REFUSE')).toHaveLength(1);
    const grants = (await act<{ requestId: string | null }[]>(OFFICE, '{ grants { requestId } }')).data!.grants!;
    expect(grants.filter((grant) => grant.requestId === id).length).toBe(final.parts[0]!.status === 'APPROVED' ? 1 : 0);
  });

  it('has each provider answer its own part of a request spanning two, then escalates a refusal to coordination', async () => {
    const { id, parts } = data(
      await file(PETITIONS, {
        fields: ['Resident.birthDate', 'Resident.careLevel'],
        purposes: ['petition_handling'],
        scenario: '信访事项办理中核实当事人情况',
        basis: '《信访工作条例》',
        validUntil: inDays(180),
      }),
    );
    expect(parts.map((part) => part.provider)).toEqual(['civil-affairs', 'grid']);
    data(await review(OFFICE, id, true));
    // Both providers at once: neither answer is lost to the other.
    const [civil, grid] = await Promise.all([answer(CIVIL, id, true), answer(steward('grid'), id, false, '照护等级涉及个人健康信息')]);
    expect([civil, grid].map((result) => result.errors)).toEqual([undefined, undefined]);
    expect(await get(OFFICE, id)).toMatchObject({ status: 'ANSWERED', parts: [{ status: 'APPROVED' }, { status: 'REFUSED' }] });
    data(await act(PETITIONS, 'mutation ($id: ID!) { escalateSharingRequest(id: $id, reason: "办理信访事项确需") { status } }', { id }));
    const coordinated = data(
      await act(
        OFFICE,
        `mutation ($id: ID!) { coordinateSharingRequest(id: $id, approve: true, reason: "限于信访办理，期限90天",
          conditions: { validUntil: "${inDays(90)}" }) { ${REQUEST_FIELDS} } }`,
        { id },
      ),
    );
    expect(coordinated).toMatchObject({
      status: 'CLOSED',
      parts: [{ status: 'APPROVED' }, { status: 'APPROVED', grant: expect.stringMatching(/^G-/) }],
    });
    const actions = coordinated.history.map((step) => step.action);
    // The two answers came at once: in either order.
    expect([...actions.slice(0, 2), ...actions.slice(2, 4).sort(), ...actions.slice(4)]).toEqual([
      'REQUEST',
      'FORWARD',
      'APPROVE',
      'REFUSE',
      'ESCALATE',
      'COORDINATE',
    ]);
    // Both grants ended in one operation, each with its reason: two steps, two entries of one record, and they agree.
    const [civilGrant, gridGrant] = coordinated.parts.map((part) => part.grant!);
    data(
      await act(
        OFFICE,
        `mutation { a: revokeGrant(id: "${civilGrant}", reason: "办结") { active } b: revokeGrant(id: "${gridGrant}", reason: "协调期满") { active } }`,
      ),
    );
    await waitFor(async () => (await verifySharingSteps(stack.gateway.database)).problems.length === 0 || undefined, {
      what: 'the two revocations recorded',
    });
  });

  it('takes only strict dates, bounded lists, and masking in coordination part by part', async () => {
    for (const validUntil of ['2027-02-30', '12/31/2027', '2027-06-01 10:00', '2027-06-01T10:00:00']) {
      const refused = await file(GRID, birthDateRequest({ validUntil }));
      expect([validUntil, codeOf(refused)]).toEqual([validUntil, 'BAD_USER_INPUT']);
    }
    const areas = Array.from({ length: 101 }, (_, i) => `610921${String(i).padStart(3, '0')}`);
    expect(refusedMessage(await file(GRID, birthDateRequest({ areas })))).toMatch(/at most 100/);

    const { id } = data(
      await file(PETITIONS, {
        fields: ['Resident.birthDate', 'Resident.careLevel'],
        purposes: ['petition_handling'],
        scenario: '核实',
        basis: '条例',
        validUntil: inDays(60),
      }),
    );
    data(await review(OFFICE, id, true));
    data(await answer(CIVIL, id, false, '不同意'));
    data(await answer(steward('grid'), id, false, '不同意'));
    data(await act(PETITIONS, 'mutation ($id: ID!) { escalateSharingRequest(id: $id, reason: "确需") { status } }', { id }));
    // Masking names a field of one refused part; the other part is approved as asked.
    const coordinated = data(
      await act(
        OFFICE,
        `mutation ($id: ID!) { coordinateSharingRequest(id: $id, approve: true, reason: "出生日期仅年份",
          conditions: { masked: ["Resident.birthDate"] }) { ${REQUEST_FIELDS} } }`,
        { id },
      ),
    );
    expect(coordinated.parts.map((part) => part.status)).toEqual(['APPROVED', 'APPROVED']);
    const grants = (
      await act<{ requestId: string; masked: string[]; provider: string }[]>(OFFICE, '{ grants { requestId masked provider } }')
    ).data!.grants!;
    expect(grants.filter((grant) => grant.requestId === id).map((grant) => [grant.provider, grant.masked])).toEqual(
      expect.arrayContaining([
        ['civil-affairs', ['Resident.birthDate']],
        ['grid', []],
      ]),
    );
  });

  it('shows a department’s steward only the grants it holds or provides', async () => {
    const seen = (await act<{ consumer: string; provider: string | null }[]>(PETITIONS, '{ grants { consumer provider } }')).data!.grants!;
    expect(seen.length).toBeGreaterThan(0);
    for (const grant of seen) expect(grant.consumer === 'petitions' || grant.provider === 'petitions').toBe(true);
  });

  it('finds a step of the history that was reworded or removed behind the workflow’s back', async () => {
    const database = stack.gateway.database;
    const postgres = database.options.type === 'postgres';
    // The history is append-only in the database itself: the triggers must go first.
    await expect(database.query("UPDATE sharing_step SET reason = '改写' WHERE action = 'REVOKE'")).rejects.toThrow(/append-only/);
    if (postgres) await database.query('ALTER TABLE sharing_step DISABLE TRIGGER USER');
    else await database.query('DROP TRIGGER sharing_step_no_update');
    await database.query("UPDATE sharing_step SET reason = '改写' WHERE action = 'REVOKE'");
    const reworded = (await verifySharingSteps(database)).problems;
    expect(reworded.length).toBeGreaterThan(0);
    for (const problem of reworded) expect(problem).toMatch(/REVOKE.*its reason is not the one its audit record hashed/);
    if (!postgres) await database.query('DROP TRIGGER sharing_step_no_delete');
    await database.query("DELETE FROM sharing_step WHERE action = 'REVOKE'");
    const removed = (await verifySharingSteps(database)).problems;
    expect(removed.length).toBeGreaterThan(0);
    for (const problem of removed) expect(problem).toMatch(/names REVOKE of SR-.*which the request's history does not hold/);
  });

  it('shows a department’s steward its own department’s audit records, and the data authority all of them', async () => {
    const departments = async (as: Partial<Identity>) => {
      const result = await act<{ nodes: { department: string | null }[] }>(as, '{ auditEvents(first: 100) { nodes { department } } }');
      return new Set(data(result).nodes.map((node) => node.department));
    };
    expect([...(await departments(GRID))]).toEqual(['grid']);
    expect([...(await departments(OFFICE))]).toEqual(expect.arrayContaining(['grid', 'civil-affairs', 'data-office', 'petitions']));
  });

  it('shows stewards where the chain stands: its head, its anchor and the last verification', async () => {
    const status = await waitFor(
      async () => {
        const result = await act<{ head: { seq: number }; anchor: { seq: number; ageSeconds: number } | null; lastVerification: unknown }>(
          OFFICE,
          '{ auditChainStatus { head { seq hash at } anchor { seq ageSeconds writtenAt } lastVerification { at intact } } }',
        );
        const found = data(result);
        // The anchor follows the head within about a second.
        return found.anchor && found.anchor.seq > 0 ? found : undefined;
      },
      { what: 'an anchored head' },
    );
    expect(status.head.seq).toBeGreaterThanOrEqual(status.anchor!.seq);
    expect(status.anchor!.ageSeconds).toBeLessThan(60);
    expect(status.lastVerification).toBeNull();
  });

  it('shows the sandbox grants as approved requests with their history', async () => {
    const grants = (await act<{ id: string; requestId: string; provider: string }[]>(OFFICE, '{ grants { id requestId provider } }')).data!
      .grants!;
    expect(grants.find((grant) => grant.id === 'G1')).toMatchObject({ requestId: 'SR-SEED-G1', provider: 'civil-affairs' });
    expect((await get(OFFICE, 'SR-SEED-G3')).history.map((step) => [step.action, step.department])).toEqual([
      ['REQUEST', 'civil-affairs'],
      ['FORWARD', 'data-office'],
      ['APPROVE', 'grid'],
    ]);
  });
});
