import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDataSource, openDataSource } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { createLogger } from '../../common/logger';
import { sandboxGrants } from '../../gateway/access/grants';
import { GrantRecord } from '../../gateway/grants/grant.entity';
import { GrantStore } from '../../gateway/grants/grant-store';
import { GRANT_MIGRATIONS } from '../../gateway/grants/migrations';
import { startStack, type Stack } from './stack';
import { waitFor } from '../helpers/wait-for';

/** Grants live in the gateway's own database; changes reach decisions within seconds, without a restart. */
describe('grants in the gateway database', () => {
  let stack: Stack;
  let db: Database.Database;
  const analyst = { as: { department: 'statistics', roles: ['analyst'] }, purpose: 'statistics' };
  const worker = { as: { department: 'grid', roles: ['grid_worker'] }, purpose: 'assistance' };
  const NAMES = '{ residents(first: 3) { nodes { name } } }';
  const names = async (options: typeof analyst) =>
    (await stack.query<{ residents: { nodes: { name: string | null }[] } }>(NAMES, undefined, options)).data!.residents.nodes.map(
      (n) => n.name,
    );
  // Three names every time: a check over an empty list would hold whatever the decision.
  const allNull = (list: (string | null)[]) => list.length === 3 && list.every((name) => name === null);
  const noneNull = (list: (string | null)[]) => list.length === 3 && list.every((name) => name !== null);
  const eventually = (check: () => Promise<boolean>) => waitFor(check, { what: 'the decision to follow the grants table', intervalMs: 50 });

  beforeAll(async () => {
    stack = await startStack({ residents: 200, seed: 37 });
    db = new Database(path.join(stack.dataDir, 'gateway.sqlite'));
  });
  afterAll(async () => {
    db.close();
    await stack.stop();
  });

  it('seeds the sandbox grants G1–G5', () => {
    expect(db.prepare('SELECT id, consumer FROM "grant" ORDER BY id').all()).toEqual([
      { id: 'G1', consumer: 'grid' },
      { id: 'G2', consumer: 'petitions' },
      { id: 'G3', consumer: 'civil-affairs' },
      { id: 'G4', consumer: 'grid' },
      { id: 'G5', consumer: 'civil-affairs' },
    ]);
  });

  it('applies a new grant within seconds', async () => {
    expect(await names(analyst)).toEqual([null, null, null]);
    db.prepare(
      `INSERT INTO "grant" (id, consumer, fields, purposes, masked, valid_from, valid_until, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`,
    ).run(
      'G6',
      'statistics',
      JSON.stringify(['Resident.name']),
      JSON.stringify(['statistics']),
      JSON.stringify(['Resident.name']),
      new Date(Date.now() - 1000).toISOString(),
      new Date(Date.now() + 3_600_000).toISOString(),
    );
    await eventually(async () => noneNull(await names(analyst)));
    // G6 says masked: NAME keeps the surname only.
    expect(await names(analyst)).toEqual(Array(3).fill(expect.stringMatching(/^.\*+$/u)));
  });

  it('stops applying a revoked grant within seconds', async () => {
    expect(await names(worker)).toEqual(Array(3).fill(expect.any(String)));
    db.prepare(`UPDATE "grant" SET revoked_at = ? WHERE id = 'G1'`).run(new Date().toISOString());
    await eventually(async () => allNull(await names(worker)));
  });

  it('stops applying an expired grant within seconds', async () => {
    expect(await names(analyst)).toEqual(Array(3).fill(expect.any(String)));
    db.prepare(`UPDATE "grant" SET valid_until = ? WHERE id = 'G6'`).run(new Date(Date.now() - 1000).toISOString());
    await eventually(async () => allNull(await names(analyst)));
  });
});

describe('grants that cannot be re-read', () => {
  it('stop applying after a while: the store fails closed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-grants-'));
    const config = { kind: 'sqlite' as const, path: path.join(dir, 'gateway.sqlite') };
    const dataSource = await openDataSource(
      createDataSource(config, { entities: [GrantRecord], migrations: GRANT_MIGRATIONS }, new StatementCounter()),
      config,
    );
    let now = Date.now();
    const store = new GrantStore(dataSource, createLogger('test', 'silent'), () => new Date(now));
    await store.seedIfEmpty(sandboxGrants(new Date(now - 1000)));
    await store.reload();
    store.start(1000);
    expect(store.current().grants).toHaveLength(5);
    await dataSource.destroy();
    await expect(store.reload()).rejects.toThrow();
    now += 29_000;
    expect(store.current().grants).toHaveLength(5);
    now += 2_000;
    expect(store.current()).toEqual({ grants: [], version: 'stale' });
    store.stop();
    rmSync(dir, { recursive: true, force: true });
  });
});
