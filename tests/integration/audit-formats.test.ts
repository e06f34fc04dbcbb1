import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { graphql } from 'graphql';
import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource, type DatabaseConfig } from '../../common/database/datasource';
import { StatementCounter } from '../../common/database/statement-counter';
import { createLogger } from '../../common/logger';
import { sealRecord, type AuditEntry } from '../../gateway/audit/audit-record';
import { AuditStore } from '../../gateway/audit/audit-store';
import { AUDIT_MIGRATIONS } from '../../gateway/audit/migrations';
import { verifyAuditTrail } from '../../gateway/audit/verify-store';
import type { GrantStore } from '../../gateway/grants/grant-store';
import { buildStewardSchema } from '../../gateway/steward/steward.schema';
import { auditEntry } from './audit-entry';

const KEY = Buffer.alloc(32, 11);
const entry = (i: number, decision: 'allow' | 'mask' | 'deny'): AuditEntry =>
  auditEntry(i, {
    decisions: [
      { coordinate: 'Resident.idNumber', decision, ...(decision === 'deny' ? {} : { grant: 'G1' }) },
      { coordinate: 'Resident.name', decision: 'allow', grant: 'G1' },
    ],
    subjects: [{ type: 'Resident', id: 'shared' }, { type: 'Resident', id: `r${i}` }],
  });

/**
 * Records are stored with their decisions and subjects as the arrays they
 * are hashed as; records written before that (decisions and subjects as
 * objects) still verify, are found by the steward's filters and by subject,
 * and the chain continues after them.
 */
describe('audit records in the earlier row format', () => {
  let dir: string;
  let dataSource: DataSource;
  const anchor = () => path.join(dir, 'audit-anchor.json');
  const openStore = async () => {
    const store = new AuditStore(dataSource, KEY, anchor(), createLogger('test', 'silent'));
    await store.open();
    return store;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govgraph-formats-'));
    const db: DatabaseConfig = { kind: 'sqlite', path: path.join(dir, 'gateway.sqlite') };
    dataSource = await openDataSource(createDataSource(db, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()), db);
    const store = await openStore();
    await store.append(entry(1, 'mask'));
    await store.append(entry(2, 'deny'));
    await store.drain();
    // Records 3 and 4 as an earlier gateway wrote them.
    let [{ hash: prev }] = await dataSource.query('SELECT hash FROM audit_event WHERE seq = 2');
    for (const [seq, decision] of [[3, 'mask'], [4, 'deny']] as const) {
      const record = sealRecord(KEY, seq, prev, entry(seq, decision));
      prev = record.hash;
      await dataSource.query(
        'INSERT INTO audit_event (seq, at, request_id, sub, department, roles, purpose, client_name, client_version, operation_type, operation_name, document_hash, decisions, subjects, outcome, status, duration_ms, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?)',
        [seq, record.at, record.requestId, record.sub, record.department, JSON.stringify(record.roles), record.purpose, record.operationType, JSON.stringify(record.decisions), JSON.stringify(record.subjects), record.outcome, record.status, record.durationMs, record.prevHash, record.hash],
      );
    }
  });
  afterAll(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores decisions and subjects as the arrays the chain hashes', async () => {
    const [row] = await dataSource.query('SELECT decisions, subjects FROM audit_event WHERE seq = 1');
    expect(JSON.parse(row.decisions)).toEqual([['Resident.idNumber', 'mask', 'G1'], ['Resident.name', 'allow', 'G1']]);
    expect(JSON.parse(row.subjects)).toEqual([['Resident', 'shared'], ['Resident', 'r1']]);
  });

  it('continues the chain after earlier records, and verifies both forms', async () => {
    const store = await openStore();
    expect(await store.append(entry(5, 'mask'))).toBe(5);
    await store.drain();
    expect(await verifyAuditTrail(dataSource, KEY, anchor())).toEqual({ intact: true, records: 5 });
  });

  it('finds records of both forms by field and decision, and by subject', async () => {
    const store = await openStore();
    const schema = buildStewardSchema({ dataSource, catalog: new Map(), grants: {} as GrantStore, subjectHistory: (subject, limit) => store.subjectHistory(subject, limit) });
    const seqs = async (filter: string) => {
      const result = await graphql({ schema, source: `{ auditEvents(filter: ${filter}, first: 100) { nodes { seq decisions { coordinate decision grant } } } }` });
      expect(result.errors).toBeUndefined();
      return (result.data as { auditEvents: { nodes: { seq: number }[] } }).auditEvents.nodes.map((node) => node.seq);
    };
    expect(await seqs('{ coordinate: "Resident.idNumber", decision: "mask" }')).toEqual([5, 3, 1]);
    expect(await seqs('{ coordinate: "Resident.idNumber", decision: "deny" }')).toEqual([4, 2]);
    expect(await seqs('{ decision: "deny" }')).toEqual([4, 2]);
    expect(await seqs('{ coordinate: "Resident.name" }')).toEqual([5, 4, 3, 2, 1]);
    expect(await seqs('{ coordinate: "Resident.nam" }')).toEqual([]);
    const history = await graphql({ schema, source: '{ accessHistory(subjectType: "Resident", subjectId: "shared") { seq decisions { coordinate decision grant } subjects { id } } }' });
    const events = (history.data as { accessHistory: { seq: number; decisions: unknown[]; subjects: { id: string }[] }[] }).accessHistory;
    expect(events.map((event) => event.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(events[1]!.decisions).toEqual([
      { coordinate: 'Resident.idNumber', decision: 'deny', grant: null },
      { coordinate: 'Resident.name', decision: 'allow', grant: 'G1' },
    ]);
    expect(events[1]!.subjects).toEqual([{ id: 'shared' }, { id: 'r4' }]);
  });
});
