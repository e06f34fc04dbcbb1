import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Stack } from './stack';

/**
 * A county adds a department from its registry entry alone. The registry
 * here is the project's plus one entry for a small throwaway subgraph
 * (住建 housing, tests/fixtures/housing): composed as `npm run compose`
 * composes, started from the registry like every department, and queried
 * through the gateway, which governs its fields from their classification
 * and signs every call to it with a key of its own. Not one line of the
 * gateway or of another department knows it.
 */
describe('a department added by its registry entry', () => {
  let dir: string;
  let stack: Stack;
  const previous = process.env.GOVGRAPH_DEPARTMENTS;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-new-department-'));
    const registry = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'departments.json'), 'utf8')) as unknown[];
    registry.push({
      name: 'housing',
      title: '住建 · Housing: dwellings',
      folder: 'tests/fixtures/housing',
      defaultPort: 4090,
      env: { url: 'HOUSING_URL', port: 'HOUSING_PORT', databaseUrl: 'HOUSING_DATABASE_URL' },
      schemaFile: 'schema/housing.graphql',
      keys: 'keys/housing',
    });
    const file = path.join(dir, 'departments.json');
    writeFileSync(file, JSON.stringify(registry, null, 2));
    process.env.GOVGRAPH_DEPARTMENTS = file;
    // Loaded only now, so that every module reads the registry above.
    const { composeSupergraph } = await import('../../schema/compose');
    const { startStack } = await import('./stack');
    const composition = await composeSupergraph();
    expect(composition.subgraphs.map((subgraph) => subgraph.name)).toContain('housing');
    const supergraphPath = path.join(dir, 'supergraph.graphql');
    writeFileSync(supergraphPath, composition.supergraph);
    stack = await startStack({ residents: 100, seed: 4, supergraphPath });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.GOVGRAPH_DEPARTMENTS;
    else process.env.GOVGRAPH_DEPARTMENTS = previous;
  });

  it('is served through the gateway next to civil affairs, its CONDITIONAL field denied to another department', async () => {
    const result = await stack.query<{
      residents: { nodes: { name: string; housing: { rooms: number; floorArea: number | null } }[] };
      housingCount: number;
    }>(`{ housingCount residents(first: 2) { nodes { name housing { rooms floorArea } } } }`);
    expect(result.status).toBe(200);
    expect(result.data!.housingCount).toBe(100);
    for (const node of result.data!.residents.nodes) {
      expect(node.name).toEqual(expect.any(String));
      expect(node.housing.rooms).toBeGreaterThanOrEqual(1);
      expect(node.housing.floorArea).toBeNull();
    }
    expect(result.errors).toEqual(
      [0, 1].map((i) =>
        expect.objectContaining({
          path: ['residents', 'nodes', i, 'housing', 'floorArea'],
          extensions: { code: 'FORBIDDEN_FIELD', coordinate: 'HousingUnit.floorArea' },
        }),
      ),
    );
    // The denied field was never asked of the housing subgraph.
    expect(stack.received.housing!.some((request) => request.body.includes('floorArea'))).toBe(false);
  });

  it('answers its own staff in full, and the audit trail records its fields’ decisions', async () => {
    const own = await stack.query<{ residents: { nodes: { housing: { floorArea: number } }[] } }>(
      `{ residents(first: 1) { nodes { housing { floorArea } } } }`,
      undefined,
      { as: { sub: 'housing-officer', department: 'housing', roles: ['officer'] }, headers: { 'x-request-id': 'housing-own' } },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.residents.nodes[0]!.housing.floorArea).toBeGreaterThanOrEqual(30);
    const audit = await stack.query<{
      auditEvents: { nodes: { department: string; decisions: { coordinate: string; decision: string }[] }[] };
    }>(
      `{ auditEvents(filter: { department: "housing" }, first: 5) { nodes { department decisions { coordinate decision } } } }`,
      undefined,
      { as: { sub: 'steward-1', department: 'data-office', roles: ['steward'] }, purpose: 'supervision' },
    );
    expect(audit.errors).toBeUndefined();
    expect(audit.data!.auditEvents.nodes).toEqual([
      expect.objectContaining({
        department: 'housing',
        decisions: expect.arrayContaining([{ coordinate: 'HousingUnit.floorArea', decision: 'allow' }]),
      }),
    ]);
  });

  it('refuses a call to it that the gateway did not sign', async () => {
    const direct = await fetch(stack.subgraphs.housing!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ housingCount }' }),
    });
    expect(direct.status).toBe(401);
  });
});
