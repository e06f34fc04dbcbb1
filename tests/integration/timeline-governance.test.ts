import { startStack, type Stack } from './stack';

type Row = Record<string, unknown>;

/** Every field of both event types, and the interface's own, asked through GridCell.timeline. */
const TIMELINE = `query ($id: ID!) { gridCell(id: $id) { timeline(first: 40) {
  __typename at areaCode cell { id }
  ... on Visit { id visitedAt followUpNeeded notes resident { id } }
  ... on Incident { id category status description }
} } }`;

const VISIT_FIELDS = ['id', 'visitedAt', 'followUpNeeded', 'notes', 'resident'];
const INCIDENT_FIELDS = ['id', 'category', 'status', 'description'];

/**
 * The sandbox's sample callers and what each may see of a visit and of an
 * incident in the same timeline: the interface's fields (at, areaCode, cell)
 * are UNCONDITIONAL on both types; a visit's are CONDITIONAL (G3 gives civil
 * affairs visitedAt and followUpNeeded for assistance) and its notes NONE; an
 * incident's description CONDITIONAL, its id, category and status UNCONDITIONAL.
 */
const CALLERS: { who: string; department: string; roles: string[]; purpose: string; visit: string[]; incident: string[] }[] = [
  {
    who: 'a grid worker',
    department: 'grid',
    roles: ['grid_worker'],
    purpose: 'assistance',
    visit: VISIT_FIELDS,
    incident: INCIDENT_FIELDS,
  },
  {
    who: 'a civil-affairs officer (G3)',
    department: 'civil-affairs',
    roles: ['officer'],
    purpose: 'assistance',
    visit: ['visitedAt', 'followUpNeeded'],
    incident: ['id', 'category', 'status'],
  },
  {
    who: 'a civil-affairs officer without G3’s purpose',
    department: 'civil-affairs',
    roles: ['officer'],
    purpose: 'service',
    visit: [],
    incident: ['id', 'category', 'status'],
  },
  {
    who: 'a petitions officer',
    department: 'petitions',
    roles: ['officer'],
    purpose: 'petition_handling',
    visit: [],
    incident: ['id', 'category', 'status'],
  },
  {
    who: 'a statistics analyst',
    department: 'statistics',
    roles: ['analyst'],
    purpose: 'statistics',
    visit: [],
    incident: ['id', 'category', 'status'],
  },
  {
    who: 'a data-office steward',
    department: 'data-office',
    roles: ['steward'],
    purpose: 'supervision',
    visit: [],
    incident: ['id', 'category', 'status'],
  },
];

describe('a cell’s timeline, governed per concrete type', () => {
  let stack: Stack;
  let villageCell: { id: string; areaCode: string };

  beforeAll(async () => {
    stack = await startStack({ residents: 1500, seed: 67 });
    // The village cell whose timeline holds the most visits and incidents together.
    const score = (cellIds: Set<string>) =>
      Math.min(
        stack.county.visits.filter((v) => cellIds.has(v.cellId ?? '')).length,
        stack.county.incidents.filter((i) => cellIds.has(i.cellId)).length,
      );
    // Cells are listed parents first: one pass collects every cell below `id`.
    const below = (id: string): Set<string> => {
      const ids = new Set([id]);
      for (const cell of stack.county.cells) if (cell.parentId && ids.has(cell.parentId)) ids.add(cell.id);
      return ids;
    };
    const villages = stack.county.cells.filter((cell) => cell.level === 1);
    villageCell = villages.map((cell) => ({ cell, score: score(below(cell.id)) })).sort((a, b) => b.score - a.score)[0]!.cell;
  });
  afterAll(() => stack.stop());

  it.each(CALLERS)(
    '$who sees the fields it may of each event, and null with one FORBIDDEN_FIELD per path on the others',
    async (caller) => {
      const result = await stack.query<{ gridCell: { timeline: Row[] } }>(
        TIMELINE,
        { id: villageCell.id },
        { as: { department: caller.department, roles: caller.roles, areas: [villageCell.areaCode] }, purpose: caller.purpose },
      );
      expect(result.status).toBe(200);
      const events = result.data!.gridCell.timeline;
      expect(new Set(events.map((event) => event.__typename))).toEqual(new Set(['Visit', 'Incident']));
      const expectedErrors: string[] = [];
      events.forEach((event, index) => {
        // The interface's own fields: every caller, every type.
        expect(event.at).toEqual(expect.any(String));
        expect(event.areaCode).toEqual(expect.stringMatching(/^610921/));
        const [fields, allowed] = event.__typename === 'Visit' ? [VISIT_FIELDS, caller.visit] : [INCIDENT_FIELDS, caller.incident];
        for (const field of fields) {
          if (allowed.includes(field)) {
            if (field !== 'description' && field !== 'resident') expect(event[field]).not.toBeNull();
          } else {
            expect(event[field]).toBeNull();
            expectedErrors.push(`gridCell.timeline.${index}.${field} ${String(event.__typename)}.${field}`);
          }
        }
        // No key of the gateway's own is left in the response.
        expect(Object.keys(event).filter((key) => key.startsWith('__govgraph'))).toEqual([]);
      });
      const errors = (result.errors ?? []).map(
        (error) => `${(error.path ?? []).join('.')} ${String(error.extensions?.coordinate)} ${String(error.extensions?.code)}`,
      );
      expect(errors.sort()).toEqual(expectedErrors.map((error) => `${error} FORBIDDEN_FIELD`).sort());
    },
  );

  it('never asks the grid for a visit field the caller may not see, though it asks for the incident’s fields', async () => {
    const before = stack.received.grid!.length;
    await stack.query(
      '{ gridCells(first: 3) { nodes { timeline(first: 5) { at ... on Visit { notes visitedAt } ... on Incident { category } } } } }',
      undefined,
      { as: { department: 'statistics', roles: ['analyst'] }, purpose: 'statistics' },
    );
    const sent = stack.received.grid!.slice(before).map((request) => request.body);
    expect(sent.join('\n')).toContain('category');
    expect(sent.join('\n')).not.toMatch(/notes|visitedAt/);
  });
});
