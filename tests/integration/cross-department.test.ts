import { waitFor } from '../helpers/wait-for';
import { GRID_WORKER, startStack, grantsWithSupervision, type Stack } from './stack';

/**
 * One operation that needs all three departments: the resident and household
 * (civil affairs), their petitions (petitions) and their grid cell, care
 * level and visits (grid), plus the petition's own grid cell via @requires.
 */
describe('a cross-department query through the gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    // A county-wide civil-affairs officer who, for supervision, may read the other departments' resident fields.
    stack = await startStack({ residents: 2000, seed: 11, purpose: 'supervision', grants: grantsWithSupervision() });
  });
  afterAll(() => stack.stop());

  it('joins a petitioner with household, benefits, grid cell, care level and petitions from three databases', async () => {
    const { county } = stack;
    const petition = county.petitions[0]!;
    const resident = county.residents.find((r) => r.id === petition.petitionerId)!;
    const household = county.households.find((h) => h.id === resident.householdId)!;
    const registration = county.registrations.find((r) => r.residentId === resident.id)!;
    const cell = county.cells.find((c) => c.id === registration.cellId)!;
    const villageCell = county.cells.find((c) => c.level === 1 && c.areaCode === petition.areaCode)!;
    const ownPetitions = county.petitions.filter((p) => p.petitionerId === resident.id);

    const result = await stack.query(
      `query Petitioner($id: ID!) {
        resident(id: $id) {
          id name idNumber areaCode
          household { id address head { id } members { id } }
          benefits { type status }
          gridCell { id code level worker { id name } }
          careLevel
          petitions { id trackingNumber status gridCell { id level } }
        }
      }`,
      { id: resident.id },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      resident: {
        id: resident.id,
        name: resident.name,
        idNumber: resident.idNumber,
        areaCode: resident.areaCode,
        household: {
          id: household.id,
          address: household.address,
          head: { id: household.headId },
          members: expect.arrayContaining([{ id: resident.id }]),
        },
        benefits: county.benefits.filter((b) => b.residentId === resident.id).map((b) => ({ type: b.type, status: b.status })),
        gridCell: {
          id: cell.id,
          code: cell.code,
          level: 3,
          worker: { id: cell.workerId, name: county.workers.find((w) => w.id === cell.workerId)!.name },
        },
        careLevel: registration.careLevel,
        petitions: expect.arrayContaining([
          {
            id: petition.id,
            trackingNumber: petition.trackingNumber,
            status: petition.status,
            gridCell: { id: villageCell.id, level: 1 },
          },
        ]),
      },
    });
    expect((result.data as { resident: { petitions: unknown[] } }).resident.petitions).toHaveLength(ownPetitions.length);
  });

  it('lets a grid worker handling petitions cross all three departments, but not see the name', async () => {
    const petition = stack.county.petitions[1]!;
    const resident = stack.county.residents.find((r) => r.id === petition.petitionerId)!;
    const result = await stack.query<{ resident: Record<string, unknown> }>(
      `query ($id: ID!) { resident(id: $id) { gender name gridCell { level } careLevel petitions { trackingNumber subject content gridCell { level } } } }`,
      { id: resident.id },
      { as: GRID_WORKER, purpose: 'petition_handling', headers: { 'x-request-id': 'grid-worker-hop' } },
    );
    const own = stack.county.petitions.filter((p) => p.petitionerId === resident.id);
    expect(result.data).toEqual({
      resident: {
        gender: resident.gender,
        name: null,
        gridCell: { level: 3 },
        careLevel: stack.county.registrations.find((r) => r.residentId === resident.id)!.careLevel,
        petitions: expect.arrayContaining([
          { trackingNumber: petition.trackingNumber, subject: petition.subject, content: null, gridCell: { level: 1 } },
        ]),
      },
    });
    expect(result.errors).toEqual([
      {
        message: 'Not permitted to see Resident.name',
        path: ['resident', 'name'],
        extensions: { code: 'FORBIDDEN_FIELD', coordinate: 'Resident.name' },
      },
      ...own.map((_, i) => ({
        message: 'Not permitted to see Petition.content',
        path: ['resident', 'petitions', i, 'content'],
        extensions: { code: 'FORBIDDEN_FIELD', coordinate: 'Petition.content' },
      })),
    ]);
    // The denied fields were never fetched from the departments that hold them.
    const asked = stack.sentFor('grid-worker-hop');
    expect(asked).toHaveLength(4);
    expect(asked.join('\n')).not.toMatch(/\bname\b|\bcontent\b/);
  });

  it('pages residents with a cursor and counts the whole filtered set', async () => {
    const village = stack.county.villages[0]!.code;
    const expected = stack.county.residents
      .filter((r) => r.areaCode === village)
      .map((r) => r.id)
      .sort();
    const first = await stack.query<{
      residents: {
        totalCount: number;
        edges: { cursor: string; node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(
      `query ($area: String) { residents(filter: { areaCode: $area }, first: 5) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
      { area: village },
    );
    expect(first.data?.residents.totalCount).toBe(expected.length);
    expect(first.data?.residents.edges.map((e) => e.node.id)).toEqual(expected.slice(0, 5));
    expect(first.data?.residents.pageInfo.hasNextPage).toBe(true);
    const second = await stack.query<{ residents: { nodes: { id: string }[] } }>(
      `query ($area: String, $after: String) { residents(filter: { areaCode: $area }, first: 5, after: $after) { nodes { id } } }`,
      { area: village, after: first.data?.residents.pageInfo.endCursor },
    );
    expect(second.data?.residents.nodes.map((n) => n.id)).toEqual(expected.slice(5, 10));
  });

  it.each(['610921', '610921101'])('answers aggregates for area %s without personal data', async (area) => {
    const { county } = stack;
    const result = await stack.query<{
      benefitSummary: { activeCount: number; monthlyTotal: number; byType: { type: string; activeCount: number }[] };
      petitionStats: { total: number; byStatus: { status: string; count: number }[] };
    }>(
      `query ($area: String!) {
         benefitSummary(areaCode: $area) { activeCount monthlyTotal byType { type activeCount } }
         petitionStats(areaCode: $area) { total overdue byStatus { status count } } }`,
      { area },
    );
    expect(result.errors).toBeUndefined();
    const active = county.benefits.filter((b) => b.status === 'ACTIVE' && b.areaCode.startsWith(area));
    const petitions = county.petitions.filter((p) => p.areaCode.startsWith(area));
    expect(active.length).toBeGreaterThan(0);
    expect(result.data?.benefitSummary.activeCount).toBe(active.length);
    expect(result.data?.benefitSummary.monthlyTotal).toBeCloseTo(
      active.reduce((sum, b) => sum + b.monthlyAmount, 0),
      2,
    );
    expect(result.data?.benefitSummary.byType).toContainEqual({
      type: 'MINIMUM_LIVING_ALLOWANCE',
      activeCount: active.filter((b) => b.type === 'MINIMUM_LIVING_ALLOWANCE').length,
    });
    // Petition counts exact for the petitions department's own staff.
    const own = await stack.query<{ petitionStats: { total: number; byStatus: { status: string; count: number }[] } }>(
      'query ($area: String!) { petitionStats(areaCode: $area) { total byStatus { status count } } }',
      { area },
      { as: { department: 'petitions', roles: ['officer'] } },
    );
    expect(own.data?.petitionStats.total).toBe(petitions.length);
    expect(own.data?.petitionStats.byStatus).toContainEqual({
      status: 'CLOSED',
      count: petitions.filter((p) => p.status === 'CLOSED').length,
    });
    expect(JSON.stringify(result.data)).not.toMatch(/\d{17}[\dX]/);
  });

  describe('a proxy in front of a subgraph that fails', () => {
    afterEach(() => stack.breakProxy('grid', undefined));

    it('answers SUBGRAPH_UNAVAILABLE for a 502 page, and nothing of the page reaches the client', async () => {
      stack.breakProxy('grid', {
        status: 502,
        contentType: 'text/html',
        body: '<html>502 Bad Gateway: upstream 10.20.30.40:4003 refused</html>',
      });
      const result = await stack.query(`{ gridCells(first: 1) { nodes { id } } }`);
      expect(result.errors).toEqual([
        expect.objectContaining({
          message: 'The grid service is unavailable',
          extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE' }),
        }),
      ]);
      expect(JSON.stringify(result)).not.toMatch(/10\.20\.30\.40|Bad Gateway|502/);
    });

    it('answers SUBGRAPH_UNAVAILABLE for a 200 that is not a JSON object', async () => {
      for (const body of ['<html>maintenance</html>', '[1, 2]', 'null']) {
        stack.breakProxy('grid', { status: 200, contentType: 'application/json', body });
        const result = await stack.query(`{ gridCells(first: 1) { nodes { id } } }`);
        expect(result.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE' }) })]);
        expect(JSON.stringify(result)).not.toContain('maintenance');
      }
    });

    it('passes a subgraph’s own 400 BAD_USER_INPUT on with its message, and hides any other 400', async () => {
      stack.breakProxy('grid', {
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ errors: [{ message: 'first must be at most 100', extensions: { code: 'BAD_USER_INPUT' } }] }),
      });
      const client = await stack.query(`{ gridCells(first: 1) { nodes { id } } }`);
      expect(client.errors).toEqual([
        expect.objectContaining({ message: 'first must be at most 100', extensions: { code: 'BAD_USER_INPUT' } }),
      ]);
      stack.breakProxy('grid', {
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ errors: [{ message: 'SQLITE_ERROR near "x"', extensions: { code: 'INTERNAL' } }] }),
      });
      const other = await stack.query(`{ gridCells(first: 1) { nodes { id } } }`);
      expect(other.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE' }) })]);
      expect(JSON.stringify(other)).not.toContain('SQLITE');
    });

    it('answers in full again once the proxy is mended', async () => {
      stack.breakProxy('grid', { status: 503, contentType: 'text/plain', body: 'busy' });
      expect((await stack.query(`{ gridCells(first: 1) { nodes { id } } }`)).errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE' }) }),
      ]);
      stack.breakProxy('grid', undefined);
      const result = await stack.query<{ gridCells: { nodes: { id: string }[] } }>(`{ gridCells(first: 1) { nodes { id } } }`);
      expect(result.errors).toBeUndefined();
      expect(result.data?.gridCells.nodes).toHaveLength(1);
    });
  });

  it('reports health and readiness, and once a subgraph is gone stays ready, naming it in the body', async () => {
    const base = new URL(stack.gatewayUrl);
    expect((await fetch(new URL('/healthz', base))).status).toBe(200);
    expect((await fetch(new URL('/readyz', base))).status).toBe(200);
    await stack.subgraphs.grid.stop();
    const readyz = await waitFor(
      async () => {
        const response = await fetch(new URL('/readyz', base));
        const body = (await response.json()) as { subgraphs: Record<string, string> };
        return body.subgraphs.grid === 'not ready' ? { status: response.status, body } : undefined;
      },
      { what: 'readiness naming grid not ready' },
    );
    expect(readyz).toEqual({ status: 200, body: expect.objectContaining({ status: 'ready', audit: 'writable' }) });
    const result = await stack.query(`{ gridCells(first: 1) { nodes { id } } }`);
    expect(result.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE' }) })]);
    expect(JSON.stringify(result)).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED/);
  });
});
