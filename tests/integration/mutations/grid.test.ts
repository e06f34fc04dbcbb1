import { expectRefused } from '../expect-error';
import { GRID_WORKER, startStack, type Stack } from '../stack';

const INCIDENT = 'id status category description dispatchedTo reportedAt resolvedAt resolution areaCode cell { id } reportedBy { id }';

describe('grid mutations: visits and the incident states', () => {
  let stack: Stack;
  const basicCell = () => stack.county.cells.find((c) => c.level === 3)!;
  const count = async (table: string) => Number((await stack.dataSource('grid').query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const status = async (id: string) =>
    (await stack.dataSource('grid').query('SELECT status FROM incident WHERE id = ?', [id]))[0].status as string;

  beforeAll(async () => {
    stack = await startStack({ residents: 500, seed: 9, caller: GRID_WORKER });
  });
  afterAll(() => stack.stop());

  describe('recordVisit', () => {
    const RECORD = `mutation ($input: RecordVisitInput!) { recordVisit(input: $input) { id visitedAt notes followUpNeeded resident { id careLevel } worker { id } } }`;

    it('records a visit that then appears on the resident', async () => {
      const registration = stack.county.registrations[0]!;
      const cell = stack.county.cells.find((c) => c.id === registration.cellId)!;
      const input = {
        residentId: registration.residentId,
        workerId: cell.workerId,
        visitedAt: '2026-10-20T09:30:00+08:00',
        notes: '入户走访，情况稳定。',
        followUpNeeded: true,
      };
      const result = await stack.query<{ recordVisit: { id: string } }>(RECORD, { input });
      expect(result.errors).toBeUndefined();
      expect(result.data!.recordVisit).toEqual({
        id: expect.any(String),
        visitedAt: '2026-10-20T01:30:00.000Z',
        notes: '入户走访，情况稳定。',
        followUpNeeded: true,
        resident: { id: registration.residentId, careLevel: registration.careLevel },
        worker: { id: cell.workerId },
      });
      const visits = await stack.query<{ resident: { visits: { id: string }[] } }>(
        `query ($id: ID!) { resident(id: $id) { visits { id } } }`,
        { id: registration.residentId },
      );
      expect(visits.data!.resident.visits).toContainEqual({ id: result.data!.recordVisit.id });
    });

    it.each([
      ['an unregistered resident', { residentId: 'nobody' }, /residentId does not name a resident registered in any grid cell/],
      ['an unknown worker', { workerId: 'nobody' }, /workerId does not name a grid worker/],
      ['a visit in the future', { visitedAt: '2099-01-01T00:00:00Z' }, /visitedAt must not be in the future/],
      ['empty notes', { notes: '' }, /notes/],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, change, message) => {
      const registration = stack.county.registrations[1]!;
      const input = {
        residentId: registration.residentId,
        workerId: stack.county.workers[0]!.id,
        notes: '走访',
        followUpNeeded: false,
        ...change,
      };
      const before = await count('visit');
      expectRefused(await stack.query(RECORD, { input }), 'BAD_USER_INPUT', message);
      expect(await count('visit')).toBe(before);
    });
  });

  describe('incidents', () => {
    const REPORT = `mutation ($input: ReportIncidentInput!) { reportIncident(input: $input) { ${INCIDENT} } }`;
    const DISPATCH = `mutation ($id: ID!, $d: String!) { dispatchIncident(id: $id, department: $d) { ${INCIDENT} } }`;
    const RESOLVE = `mutation ($id: ID!, $r: String!) { resolveIncident(id: $id, resolution: $r) { ${INCIDENT} } }`;
    const report = async () => {
      const cell = basicCell();
      const result = await stack.query<{ reportIncident: { id: string } }>(REPORT, {
        input: { cellId: cell.id, reportedById: cell.workerId, category: 'SAFETY_HAZARD', description: '村道边坡出现裂缝。' },
      });
      expect(result.errors).toBeUndefined();
      return result.data!.reportIncident.id;
    };

    it('goes REPORTED → DISPATCHED → RESOLVED', async () => {
      const cell = basicCell();
      const id = await report();
      const dispatched = await stack.query(DISPATCH, { id, d: 'transport' });
      expect(dispatched.data).toEqual({
        dispatchIncident: expect.objectContaining({
          id,
          status: 'DISPATCHED',
          dispatchedTo: 'transport',
          resolvedAt: null,
          areaCode: cell.areaCode,
          cell: { id: cell.id },
          reportedBy: { id: cell.workerId },
        }),
      });
      const resolved = await stack.query(RESOLVE, { id, r: '已设置警示并完成加固。' });
      expect(resolved.data).toEqual({
        resolveIncident: expect.objectContaining({
          id,
          status: 'RESOLVED',
          resolution: '已设置警示并完成加固。',
          resolvedAt: expect.any(String),
        }),
      });
      const listed = await stack.query<{ incidents: { nodes: { id: string }[] } }>(
        `{ incidents(filter: { status: RESOLVED, category: SAFETY_HAZARD }, first: 100) { nodes { id } } }`,
      );
      expect(listed.data!.incidents.nodes).toContainEqual({ id });
    });

    it('refuses to resolve an incident that was never dispatched, and changes nothing', async () => {
      const id = await report();
      expectRefused(
        await stack.query(RESOLVE, { id, r: '已处理' }),
        'INVALID_TRANSITION',
        /Incident in status REPORTED cannot be resolved/,
      );
      expect(await status(id)).toBe('REPORTED');
    });

    it('refuses to dispatch an incident twice', async () => {
      const id = await report();
      await stack.query(DISPATCH, { id, d: 'housing' });
      expectRefused(
        await stack.query(DISPATCH, { id, d: 'ecology' }),
        'INVALID_TRANSITION',
        /Incident in status DISPATCHED cannot be dispatched/,
      );
      const row = (await stack.dataSource('grid').query('SELECT status, dispatched_to FROM incident WHERE id = ?', [id]))[0];
      expect(row).toEqual({ status: 'DISPATCHED', dispatched_to: 'housing' });
    });

    it.each([
      ['an unknown cell', { cellId: 'nowhere' }, /cellId does not name a grid cell/],
      ['an unknown reporter', { reportedById: 'nobody' }, /reportedById does not name a grid worker/],
      ['an empty description', { description: '' }, /description/],
    ])('refuses a report from %s and writes nothing', async (_case, change, message) => {
      const cell = basicCell();
      const before = await count('incident');
      const input = { cellId: cell.id, reportedById: cell.workerId, category: 'DISPUTE', description: '纠纷', ...change };
      expectRefused(await stack.query(REPORT, { input }), 'BAD_USER_INPUT', message);
      expect(await count('incident')).toBe(before);
    });

    it('refuses to dispatch an unknown incident or to a malformed department', async () => {
      expectRefused(await stack.query(DISPATCH, { id: 'none', d: 'housing' }), 'BAD_USER_INPUT', /id does not name an incident/);
      const id = await report();
      expectRefused(await stack.query(DISPATCH, { id, d: '住建局' }), 'BAD_USER_INPUT', /department must be a department code/);
      expect(await status(id)).toBe('REPORTED');
    });
  });
  describe('a grid worker records visits and incidents as itself (its token sub is its worker id)', () => {
    const RECORD = `mutation ($input: RecordVisitInput!) { recordVisit(input: $input) { id worker { id } } }`;
    const REPORT = `mutation ($input: ReportIncidentInput!) { reportIncident(input: $input) { id reportedBy { id } } }`;
    /** A basic cell with a resident, its worker, and another worker of the same village. */
    const scene = () => {
      const registration = stack.county.registrations.find((r) => {
        const cell = stack.county.cells.find((c) => c.id === r.cellId)!;
        return stack.county.workers.some((w) => w.areaCode === cell.areaCode && w.id !== cell.workerId);
      })!;
      const cell = stack.county.cells.find((c) => c.id === registration.cellId)!;
      const other = stack.county.workers.find((w) => w.areaCode === cell.areaCode && w.id !== cell.workerId)!;
      const as = { sub: cell.workerId!, department: 'grid', roles: ['grid_worker'], areas: [cell.areaCode] };
      return { registration, cell, other, as };
    };

    it('records a visit under the caller when workerId is left out', async () => {
      const { registration, cell, as } = scene();
      const input = { residentId: registration.residentId, notes: '走访', followUpNeeded: false };
      const result = await stack.query(RECORD, { input }, { as });
      expect(result).toEqual({
        status: 200,
        requestId: expect.any(String),
        data: { recordVisit: { id: expect.any(String), worker: { id: cell.workerId } } },
      });
    });

    it('refuses a visit recorded as another worker of its own village with FORBIDDEN_OPERATION and writes nothing', async () => {
      const { registration, other, as } = scene();
      const before = await count('visit');
      const input = { residentId: registration.residentId, workerId: other.id, notes: '走访', followUpNeeded: false };
      expectRefused(await stack.query(RECORD, { input }, { as }), 'FORBIDDEN_OPERATION', /workerId must be your own/);
      expect(await count('visit')).toBe(before);
    });

    it('reports an incident under the caller, and refuses one reported as another worker', async () => {
      const { cell, other, as } = scene();
      const own = await stack.query(REPORT, { input: { cellId: cell.id, category: 'DISPUTE', description: '邻里纠纷' } }, { as });
      expect(own.data).toEqual({ reportIncident: { id: expect.any(String), reportedBy: { id: cell.workerId } } });
      const before = await count('incident');
      const input = { cellId: cell.id, reportedById: other.id, category: 'DISPUTE', description: '邻里纠纷' };
      expectRefused(await stack.query(REPORT, { input }, { as }), 'FORBIDDEN_OPERATION', /reportedById must be your own/);
      expect(await count('incident')).toBe(before);
    });

    it('refuses a caller whose account is not a worker in its areas, and writes nothing', async () => {
      const { registration, cell } = scene();
      const stranger = { sub: 'not-a-worker', department: 'grid', roles: ['grid_worker'], areas: [cell.areaCode] };
      const before = await count('visit');
      const input = { residentId: registration.residentId, notes: '走访', followUpNeeded: false };
      expectRefused(await stack.query(RECORD, { input }, { as: stranger }), 'FORBIDDEN_OPERATION', /not a grid worker in your areas/);
      expect(await count('visit')).toBe(before);
    });

    it('lets a grid officer record on behalf of a worker it names, inside its areas only', async () => {
      const { registration, other, cell } = scene();
      const officer = { sub: 'grid-office', department: 'grid', roles: ['officer'], areas: [cell.areaCode] };
      const input = { residentId: registration.residentId, workerId: other.id, notes: '代录走访', followUpNeeded: false };
      expect((await stack.query(RECORD, { input }, { as: officer })).data).toEqual({
        recordVisit: { id: expect.any(String), worker: { id: other.id } },
      });
      const elsewhere = stack.county.workers.find((w) => !w.areaCode.startsWith(cell.areaCode))!;
      const before = await count('visit');
      expectRefused(
        await stack.query(RECORD, { input: { ...input, workerId: elsewhere.id } }, { as: officer }),
        'BAD_USER_INPUT',
        /workerId does not name a grid worker/,
      );
      expect(await count('visit')).toBe(before);
    });
  });
});
