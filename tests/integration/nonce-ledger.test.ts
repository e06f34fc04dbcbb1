import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { DatabaseConfig } from '../../common/database/datasource';
import { nonceFileFor, openNonceStore } from '../../subgraphs/kit/nonce-ledger';
import { startPostgres, type Postgres } from './postgres';

/**
 * The replay ledger on both databases a department may use: replicas
 * sharing one database claim each nonce once between them, even when they
 * race; a reopened ledger (a restart) still knows what was claimed; expired
 * nonces are deleted, live ones kept.
 */
function describeLedger(
  kind: string,
  setUp: () => Promise<{ database: DatabaseConfig; rows(): Promise<number>; tearDown(): Promise<void> }>,
) {
  describe(`the nonce ledger on ${kind}`, () => {
    let database: DatabaseConfig;
    let rows: () => Promise<number>;
    let tearDown: () => Promise<void>;
    beforeAll(async () => {
      ({ database, rows, tearDown } = await setUp());
    }, 120_000);
    afterAll(() => tearDown());

    const later = () => Date.now() + 60_000;

    it('gives each nonce to one claim only, across two replicas racing for the same nonces', async () => {
      const [a, b] = [await openNonceStore(database), await openNonceStore(database)];
      try {
        const nonces = Array.from({ length: 100 }, () => randomUUID());
        const won = await Promise.all(nonces.flatMap((nonce) => [a.claim(nonce, later()), b.claim(nonce, later())]));
        // Exactly one of each pair of claims won.
        for (let i = 0; i < nonces.length; i += 1) expect(Number(won[2 * i]) + Number(won[2 * i + 1])).toBe(1);
        expect(a.claims + b.claims).toBe(200);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('still refuses a claimed nonce after a restart, and forgets expired ones when it opens', async () => {
      const live = randomUUID();
      const expired = randomUUID();
      const first = await openNonceStore(database);
      expect(await first.claim(live, later())).toBe(true);
      expect(await first.claim(expired, Date.now() - 1)).toBe(true);
      await first.close();
      const before = await rows();
      const restarted = await openNonceStore(database);
      try {
        expect(await rows()).toBe(before - 1);
        expect(await restarted.claim(live, later())).toBe(false);
      } finally {
        await restarted.close();
      }
    });
  });
}

describeLedger('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-nonces-'));
  const database: DatabaseConfig = { kind: 'sqlite', path: path.join(dir, 'civil-affairs.sqlite') };
  return {
    database,
    rows: async () => {
      const db = new Database(nonceFileFor(database.path), { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM govgraph_nonce').get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
    tearDown: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

let postgres: Postgres | undefined;
describeLedger('PostgreSQL', async () => {
  postgres = await startPostgres();
  await postgres.createDatabase('civil_affairs');
  const url = postgres.url('civil_affairs');
  return {
    database: { kind: 'postgres', url },
    rows: async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM govgraph_nonce')).rows[0]!.n);
      } finally {
        await client.end();
      }
    },
    tearDown: async () => postgres?.stop(),
  };
});
