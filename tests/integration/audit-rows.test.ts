import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { graphql } from 'graphql';
import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource, type DatabaseConfig } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { createLogger } from '../../common/logger';
import { decisionListRef, type AuditEntry } from '../../gateway/audit/audit-record';
import { unpackSubjects } from '../../gateway/audit/packed-subjects';
import { AuditStore } from '../../gateway/audit/audit-store';
import { AUDIT_MIGRATIONS } from '../../gateway/audit/migrations';
import { verifyAuditTrail } from '../../gateway/audit/verify-store';
import type { GrantStore } from '../../gateway/grants/grant-store';
import { buildStewardSchema } from '../../gateway/steward/steward.schema';
import { auditEntry } from './audit-entry';
import type { SharingService } from '../../gateway/sharing/sharing-service';

/** The steward API reads the whole trail for the data authority's stewards. */
const DATA_OFFICE_STEWARD = { identity: { sub: 'steward-1', department: 'data-office', roles: ['steward'] } };

const KEY = Buffer.alloc(32, 11);
const entry = (i: number, decision: 'allow' | 'mask' | 'deny'): AuditEntry =>
  auditEntry(i, {
    decisions: [
      { coordinate: 'Resident.idNumber', decision, ...(decision === 'deny' ? {} : { grant: 'G1' }) },
      { coordinate: 'Resident.name', decision: 'allow', grant: 'G1' },
    ],
    subjects: [
      { type: 'Resident', id: 'shared' },
      { type: 'Resident', id: `r${i}` },
      { type: 'Petition', id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` },
    ],
  });

/**
 * The one row format: a record's row names its decision list, kept once,
 * and packs its subjects. Records are found by the steward's filters and by
 * subject, verify, and the chain continues after a restart.
 */
describe('audit rows', () => {
  let dir: string;
  let dataSource: DataSource;
  const anchor = () => path.join(dir, 'audit-anchor.json');
  const openStore = async () => {
    const store = new AuditStore(dataSource, KEY, anchor(), createLogger('test', 'silent'));
    await store.open();
    return store;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-rows-'));
    const db: DatabaseConfig = { kind: 'sqlite', path: path.join(dir, 'gateway.sqlite') };
    dataSource = await openDataSource(createDataSource(db, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()), db);
    const store = await openStore();
    for (const [seq, decision] of [
      [1, 'mask'],
      [2, 'deny'],
      [3, 'mask'],
      [4, 'deny'],
      [5, 'mask'],
      [6, 'deny'],
    ] as const)
      await store.append(entry(seq, decision));
    await store.drain();
  });
  afterAll(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps each decision list once, by reference, and the subjects packed', async () => {
    const rows = await dataSource.query('SELECT subjects, decisions_ref, subject_ids FROM audit_event WHERE seq <= 2 ORDER BY seq');
    expect(rows.map((row: Record<string, unknown>) => row.subjects)).toEqual([null, null]);
    expect(rows.map((row: { decisions_ref: string }) => row.decisions_ref)).toEqual([
      decisionListRef(entry(1, 'mask').decisions),
      decisionListRef(entry(2, 'deny').decisions),
    ]);
    expect(unpackSubjects(rows[1].subject_ids)).toEqual(entry(2, 'deny').subjects);
    // 1 format byte; per run the type (1 + 8 and 1 + 8 bytes) and its length; 'shared', 'r2' (1 + 6, 1 + 2); a UUID (1 + 16).
    expect(rows[1].subject_ids).toHaveLength(1 + (1 + 8 + 1 + 7 + 3) + (1 + 8 + 1 + 17));
    const lists = await dataSource.query('SELECT ref, decisions FROM audit_decision_list ORDER BY decisions');
    expect(lists).toEqual([
      { ref: decisionListRef(entry(2, 'deny').decisions), decisions: '[["Resident.idNumber","deny",null],["Resident.name","allow","G1"]]' },
      { ref: decisionListRef(entry(1, 'mask').decisions), decisions: '[["Resident.idNumber","mask","G1"],["Resident.name","allow","G1"]]' },
    ]);
  });

  it('continues the chain after a restart, and verifies', async () => {
    const store = await openStore();
    expect(await store.append(entry(7, 'mask'))).toBe(7);
    await store.drain();
    expect(await verifyAuditTrail(dataSource, KEY, anchor())).toEqual({ intact: true, records: 7 });
    // Record 7's list is record 1's: not kept twice.
    expect(await dataSource.query('SELECT COUNT(*) AS n FROM audit_decision_list')).toEqual([{ n: 2 }]);
  });

  it('finds records by field and decision, and by subject', async () => {
    const store = await openStore();
    const schema = buildStewardSchema({
      catalog: new Map(),
      grants: {} as GrantStore,
      audit: store.reader,
      sharing: {} as SharingService,
      chainStatus: () => Promise.reject(new Error('not read here')),
    });
    const seqs = async (filter: string) => {
      const result = await graphql({
        schema,
        contextValue: DATA_OFFICE_STEWARD,
        source: `{ auditEvents(filter: ${filter}, first: 100) { nodes { seq decisions { coordinate decision grant } } } }`,
      });
      expect(result.errors).toBeUndefined();
      return (result.data as { auditEvents: { nodes: { seq: number }[] } }).auditEvents.nodes.map((node) => node.seq);
    };
    expect(await seqs('{ coordinate: "Resident.idNumber", decision: "mask" }')).toEqual([7, 5, 3, 1]);
    expect(await seqs('{ coordinate: "Resident.idNumber", decision: "deny" }')).toEqual([6, 4, 2]);
    expect(await seqs('{ decision: "deny" }')).toEqual([6, 4, 2]);
    expect(await seqs('{ coordinate: "Resident.name" }')).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(await seqs('{ coordinate: "Resident.nam" }')).toEqual([]);
    const history = await graphql({
      schema,
      contextValue: DATA_OFFICE_STEWARD,
      source:
        '{ accessHistory(subjectType: "Resident", subjectId: "shared") { seq decisions { coordinate decision grant } subjects { id } } }',
    });
    const events = (history.data as { accessHistory: { seq: number; decisions: unknown[]; subjects: { id: string }[] }[] }).accessHistory;
    expect(events.map((event) => event.seq)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    const denied = [
      { coordinate: 'Resident.idNumber', decision: 'deny', grant: null },
      { coordinate: 'Resident.name', decision: 'allow', grant: 'G1' },
    ];
    for (const seq of [6, 4, 2]) {
      const event = events.find((e) => e.seq === seq)!;
      expect(event.decisions).toEqual(denied);
      expect(event.subjects).toEqual(entry(seq, 'deny').subjects.map(({ id }) => ({ id })));
    }
  });
});
