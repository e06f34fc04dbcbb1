import type { DataSource } from 'typeorm';
import { readAnchor, fromRow } from './audit-store';
import { subjectBucket, subjectKeyer } from './subject-key';
import { verifyChain, type Verdict } from './verify-chain';

/**
 * Reads the whole trail in sequence order, a page at a time, and verifies it
 * against the anchor; then checks that the subject index (which the chain
 * does not hash) says exactly what the hashed records say.
 */
export async function verifyAuditTrail(dataSource: DataSource, key: Buffer, anchorFile: string): Promise<Verdict> {
  const anchor = readAnchor(anchorFile, key);
  const pages = async function* () {
    const size = 5000;
    for (let offset = 0; ; offset += size) {
      const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM audit_event ORDER BY seq LIMIT ${size} OFFSET ${offset}`);
      yield rows.map(fromRow);
      if (rows.length < size) return;
    }
  };
  const records = [];
  for await (const page of pages()) records.push(...page);
  const verdict = verifyChain(key, records, anchor);
  if (!verdict.intact) return verdict;
  const keyOf = subjectKeyer(key);
  const indexed = new Map<number, string[]>();
  const rows: { bucket: number | string; seq: number | string; subject_key: string }[] = await dataSource.query(
    'SELECT bucket, seq, CAST(subject_key AS TEXT) AS subject_key FROM audit_subject_key',
  );
  for (const row of rows) {
    const seq = Number(row.seq);
    // A row in the wrong bucket is never found by a lookup: as good as removed.
    if (Number(row.bucket) !== subjectBucket(seq)) {
      return { intact: false, seq, problem: 'edited', detail: `the subject index files record ${seq} under the wrong bucket` };
    }
    const keys = indexed.get(seq);
    if (keys) keys.push(String(row.subject_key));
    else indexed.set(seq, [String(row.subject_key)]);
  }
  const keysOf = (list: string[]) => [...new Set(list)].sort().join('\n');
  // The index trails the records by about a second and is written in sequence order: records
  // above its highest sequence number are not indexed yet (the gateway indexes them when it
  // next opens the store); everything at or below it must match exactly.
  let indexedThrough = 0;
  for (const seq of indexed.keys()) if (seq > indexedThrough) indexedThrough = seq;
  let unindexed = 0;
  for (const record of records) {
    if (record.seq > indexedThrough) {
      if (record.subjects.length > 0) unindexed += 1;
      continue;
    }
    if (keysOf(indexed.get(record.seq) ?? []) !== keysOf(record.subjects.map((s) => String(keyOf(s))))) {
      return { intact: false, seq: record.seq, problem: 'edited', detail: `the subject index of record ${record.seq} does not match the record` };
    }
    indexed.delete(record.seq);
  }
  const stray = [...indexed.keys()].sort((a, b) => a - b)[0];
  if (stray !== undefined) return { intact: false, seq: stray, problem: 'edited', detail: `the subject index names record ${stray}, which the chain does not hold` };
  return unindexed > 0 ? { ...verdict, unindexed } : verdict;
}
