import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseConfig } from '../../common/database/database-config';
import { DEPARTMENTS, findDepartment } from '../../common/departments';
import { encodeContext, signRequest, type GovernanceContext, type SigningKey } from '../../common/governance-context';
import { handOutSubgraphKeys, loadGovernanceSigningKey } from '../../common/key-files';
import { createLogger } from '../../common/logger';
import { loadDepartmentConfig } from '../../common/subgraph-config';
import { Visit } from '../../subgraphs/grid/entities/visit.entity';
import { subgraph as gridSubgraph } from '../../subgraphs/grid/server';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/kit/subgraph';
import type { County } from '../../synth/county';
import type { CellRow } from '../../synth/grid.part';
import { DEFAULT_AS_OF, seedDatabases } from '../../synth/seed-databases';
import { startPostgres, type Postgres } from './postgres';
import { postGraphQL, type GraphQLResult } from './stack';

/**
 * GridCell.timeline and the GridEvent interface, asked of the grid subgraph
 * directly with a signed governance context, on SQLite and on PostgreSQL:
 * what the subgraph returns (order, limits, jurisdiction, statements). How
 * the gateway governs it per concrete type is in timeline-governance.test.ts.
 */

interface Event {
  kind: 'Visit' | 'Incident';
  id: string;
  at: string;
  cellId: string;
  areaCode: string;
}

interface TimelineItem {
  __typename: 'Visit' | 'Incident';
  id: string;
  at: string;
  areaCode: string;
  cell: { id: string } | null;
}

const TIMELINE = `query ($id: ID!, $first: Int) {
  gridCell(id: $id) {
    timeline(first: $first) {
      __typename at areaCode cell { id level }
      ... on Visit { id visitedAt followUpNeeded }
      ... on Incident { id reportedAt category }
    }
  }
}`;

/** Newest first; equal times by id, descending: the order the subgraph promises. */
const newestFirst = (a: Event, b: Event) => (a.at === b.at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.at < b.at ? 1 : -1);

const COUNTY_WORKER: GovernanceContext = {
  sub: 'timeline-test',
  department: 'grid',
  roles: ['grid_worker'],
  areas: ['610921'],
  purpose: 'assistance',
  requestId: 'timeline-test',
};

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
])('GridCell.timeline on %s, asked of the grid subgraph directly', (_name, onPostgres) => {
  let dir: string;
  let postgres: Postgres | undefined;
  let grid: RunningSubgraph;
  let county: County;
  let key: SigningKey;
  let events: Event[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-timeline-'));
    if (onPostgres) {
      postgres = await startPostgres();
      for (const { name } of DEPARTMENTS) await postgres.createDatabase(name.replaceAll('-', '_'));
    }
    const database = (name: string): DatabaseConfig =>
      postgres
        ? { kind: 'postgres', url: postgres.url(name.replaceAll('-', '_')) }
        : { kind: 'sqlite', path: path.join(dir, `${name}.sqlite`) };
    county = await seedDatabases({ residents: 8000, seed: 31, asOf: DEFAULT_AS_OF }, database);
    grid = await startSubgraph(
      gridSubgraph,
      { ...loadDepartmentConfig('grid', { DATA_DIR: dir }), port: 0, database: database('grid'), logLevel: 'silent' },
      createLogger('grid', 'silent'),
    );
    key = loadGovernanceSigningKey(undefined, dir);
    // What the gateway does at start in the sandbox: the grid gets its own key.
    handOutSubgraphKeys(key, dir, [findDepartment('grid')]);
    events = [
      ...county.visits.map((v) => ({ kind: 'Visit' as const, id: v.id, at: v.visitedAt, cellId: v.cellId, areaCode: v.areaCode })),
      ...county.incidents.map((i) => ({ kind: 'Incident' as const, id: i.id, at: i.reportedAt, cellId: i.cellId, areaCode: i.areaCode })),
    ];
  }, 120_000);
  afterAll(async () => {
    await grid?.stop();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** POST straight to the grid subgraph, signed as the gateway would sign it for `caller`. */
  const ask = <T>(
    query: string,
    variables: Record<string, unknown> = {},
    caller: Partial<GovernanceContext> = {},
  ): Promise<GraphQLResult<T>> => {
    const body = JSON.stringify({ query, variables });
    const headers = { ...signRequest(key, 'grid', encodeContext({ ...COUNTY_WORKER, ...caller }), body) };
    return postGraphQL<T>(grid.url, query, variables, headers, body);
  };
  const timelineOf = async (cell: CellRow, first?: number | null, caller: Partial<GovernanceContext> = {}) => {
    const result = await ask<{ gridCell: { timeline: TimelineItem[] } | null }>(TIMELINE, { id: cell.id, first }, caller);
    expect(result.errors).toBeUndefined();
    return result.data!.gridCell!.timeline;
  };
  /** What the timeline of `cell` must hold: its events and those of every cell below it, newest first, at most `first`. */
  const expected = (cell: CellRow, first: number, visible: (e: Event) => boolean = () => true) => {
    const under = new Set(county.cells.filter((c) => c.code.startsWith(cell.code)).map((c) => c.id));
    return events
      .filter((e) => under.has(e.cellId) && visible(e))
      .sort(newestFirst)
      .slice(0, first)
      .map((e) => ({ __typename: e.kind, id: e.id }));
  };
  const eventsUnder = (cell: CellRow) => expected(cell, Number.MAX_SAFE_INTEGER).length;
  /** The cell of `level` with the most events under it. */
  const busiest = (level: number) => county.cells.filter((c) => c.level === level).sort((a, b) => eventsUnder(b) - eventsUnder(a))[0]!;

  it('lists the newest events of a basic cell, of a group and of a village, newest first, at most `first`', async () => {
    const [village, group, basic] = [busiest(1), busiest(2), busiest(3)];
    // The limits below bite: each cell has more events than asked for.
    expect(eventsUnder(village)).toBeGreaterThan(100);
    expect(eventsUnder(group)).toBeGreaterThan(20);
    expect(eventsUnder(basic)).toBeGreaterThan(5);
    for (const [cell, first] of [
      [village, 100],
      [village, 7],
      [group, 20],
      [basic, 5],
      [basic, 100],
    ] as const) {
      const timeline = await timelineOf(cell, first);
      expect(timeline.map(({ __typename, id }) => ({ __typename, id }))).toEqual(expected(cell, first));
      const times = timeline.map((e) => e.at);
      expect([...times].sort().reverse()).toEqual(times);
    }
  });

  it('takes 20 events when `first` is left out or null, and accepts 1 and 100', async () => {
    const village = busiest(1);
    expect(await timelineOf(village)).toHaveLength(20);
    expect(await timelineOf(village, null)).toHaveLength(20);
    expect(await timelineOf(village, 1)).toHaveLength(1);
    expect(await timelineOf(village, 100)).toHaveLength(100);
  });

  it('gives each event its concrete type, the interface fields and the fields of its own type', async () => {
    const village = busiest(1);
    const timeline = await timelineOf(village, 100);
    const kinds = new Set(timeline.map((e) => e.__typename));
    expect(kinds).toEqual(new Set(['Visit', 'Incident']));
    const visits = new Map(county.visits.map((v) => [v.id, v]));
    const incidents = new Map(county.incidents.map((i) => [i.id, i]));
    const cells = new Map(county.cells.map((c) => [c.id, c]));
    for (const item of timeline) {
      if (item.__typename === 'Visit') {
        const visit = visits.get(item.id)!;
        expect(item).toEqual({
          __typename: 'Visit',
          id: visit.id,
          at: visit.visitedAt,
          visitedAt: visit.visitedAt,
          followUpNeeded: visit.followUpNeeded,
          areaCode: visit.areaCode,
          cell: { id: visit.cellId, level: cells.get(visit.cellId)!.level },
        });
      } else {
        const incident = incidents.get(item.id)!;
        expect(item).toEqual({
          __typename: 'Incident',
          id: incident.id,
          at: incident.reportedAt,
          reportedAt: incident.reportedAt,
          category: incident.category,
          areaCode: incident.areaCode,
          cell: { id: incident.cellId, level: cells.get(incident.cellId)!.level },
        });
      }
    }
    // Every event lies in a basic cell of the village.
    expect(timeline.every((e) => e.areaCode === village.areaCode)).toBe(true);
  });

  it.each([0, -1, 101, 1000])('refuses first: %d with BAD_USER_INPUT, like other `first` arguments', async (first) => {
    const result = await ask<{ gridCell: unknown }>(TIMELINE, { id: busiest(1).id, first });
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: 'first must be between 1 and 100',
        path: ['gridCell', 'timeline'],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'first' }),
      }),
    ]);
    expect(result.data).toEqual({ gridCell: null });
  });

  it('batches: the statements for a page of cells with their timelines do not grow with the page', async () => {
    const PAGE = `query ($first: Int!) {
      gridCells(first: $first) {
        nodes { id timeline(first: 20) { __typename at areaCode cell { id name } ... on Visit { id } ... on Incident { id } } }
      }
    }`;
    const statementsFor = async (first: number) => {
      const before = grid.statements.count;
      const result = await ask<{ gridCells: { nodes: { timeline: unknown[] }[] } }>(PAGE, { first });
      expect(result.errors).toBeUndefined();
      const nodes = result.data!.gridCells.nodes;
      return { statements: grid.statements.count - before, cells: nodes.length, events: nodes.flatMap((n) => n.timeline).length };
    };
    const small = await statementsFor(10);
    const large = await statementsFor(100);
    expect(small.cells).toBe(10);
    expect(large.cells).toBe(100);
    expect(large.events).toBeGreaterThan(5 * small.events);
    expect(large.statements).toBe(small.statements);
    // The page; the ranked events; the visits; the incidents; the events' cells not on the page.
    expect(large.statements).toBeLessThanOrEqual(5);
  });

  it('answers several `first` values in one request, one batch for each', async () => {
    const village = busiest(1);
    const result = await ask<{ gridCell: { a: { id: string }[]; b: { id: string }[] } }>(
      'query ($id: ID!) { gridCell(id: $id) { a: timeline(first: 2) { ... on Visit { id } ... on Incident { id } } b: timeline(first: 9) { ... on Visit { id } ... on Incident { id } } } }',
      { id: village.id },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.gridCell.a.map((e) => e.id)).toEqual(expected(village, 2).map((e) => e.id));
    expect(result.data!.gridCell.b.map((e) => e.id)).toEqual(expected(village, 9).map((e) => e.id));
  });

  describe('jurisdiction', () => {
    // A visit of a resident of another village filed under a cell of this one: data that breaks the
    // rule that a visit lies in its cell's area (the migration's backfill keeps to it), so that the
    // limit on the events themselves shows, not only the limit on the cells.
    let village: CellRow;
    let basic: CellRow;
    let stranger: County['visits'][number];
    const asVillage = () => ({ areas: [village.areaCode] });

    beforeAll(async () => {
      village = busiest(1);
      basic = county.cells.find((c) => c.level === 3 && c.areaCode === village.areaCode)!;
      stranger = county.visits.find((v) => v.areaCode !== village.areaCode)!;
      await grid.dataSource.getRepository(Visit).update({ id: stranger.id }, { cellId: basic.id });
    });
    afterAll(async () => {
      await grid.dataSource.getRepository(Visit).update({ id: stranger.id }, { cellId: stranger.cellId });
    });

    it('shows a worker of one village no event of another village, even one filed under its own cell', async () => {
      const mine = (e: Event) => e.areaCode.startsWith(village.areaCode);
      const timeline = await timelineOf(basic, 100, asVillage());
      expect(timeline.map((e) => e.id)).not.toContain(stranger.id);
      const moved = events.map((e) => (e.id === stranger.id ? { ...e, cellId: basic.id } : e));
      const within = (cell: CellRow, first: number) => {
        const under = new Set(county.cells.filter((c) => c.code.startsWith(cell.code)).map((c) => c.id));
        return moved
          .filter((e) => under.has(e.cellId) && mine(e))
          .sort(newestFirst)
          .slice(0, first)
          .map((e) => e.id);
      };
      expect(timeline.map((e) => e.id)).toEqual(within(basic, 100));
      expect((await timelineOf(village, 100, asVillage())).map((e) => e.id)).toEqual(within(village, 100));
      // The county sees it there.
      expect((await timelineOf(basic, 100)).map((e) => e.id)).toContain(stranger.id);
    });

    it('shows the cells of the worker’s village only, and only their events', async () => {
      const result = await ask<{ gridCells: { nodes: { areaCode: string; timeline: { areaCode: string }[] }[] } }>(
        '{ gridCells(first: 100) { nodes { areaCode timeline(first: 100) { areaCode } } } }',
        {},
        asVillage(),
      );
      expect(result.errors).toBeUndefined();
      const nodes = result.data!.gridCells.nodes;
      expect(nodes.length).toBeGreaterThan(0);
      expect(nodes.every((n) => n.areaCode === village.areaCode)).toBe(true);
      const areas = new Set(nodes.flatMap((n) => n.timeline.map((e) => e.areaCode)));
      expect(areas).toEqual(new Set([village.areaCode]));
      const elsewhere = county.cells.find((c) => c.level === 1 && c.areaCode !== village.areaCode)!;
      expect((await ask(TIMELINE, { id: elsewhere.id }, asVillage())).data).toEqual({ gridCell: null });
    });
  });

  it('files a recorded visit under the resident’s cell, where the timeline shows it first', async () => {
    const registration = county.registrations.find((r) => r.careLevel === 'CARE')!;
    const cell = county.cells.find((c) => c.id === registration.cellId)!;
    const recorded = await ask<{ recordVisit: { id: string; at: string; cell: { id: string }; areaCode: string } }>(
      'mutation ($input: RecordVisitInput!) { recordVisit(input: $input) { id at areaCode cell { id } } }',
      { input: { residentId: registration.residentId, notes: '入户走访。', followUpNeeded: false } },
      // The cell's own worker records it, as itself.
      { sub: cell.workerId! },
    );
    expect(recorded.errors).toBeUndefined();
    const visit = recorded.data!.recordVisit;
    expect(visit).toEqual({ id: expect.any(String), at: expect.any(String), areaCode: cell.areaCode, cell: { id: cell.id } });
    expect((await timelineOf(cell, 1))[0]).toMatchObject({ __typename: 'Visit', id: visit.id, at: visit.at, cell: { id: cell.id } });
  });
});
