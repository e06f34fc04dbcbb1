import type { DataSource } from 'typeorm';
import { readAnchor, fromRow } from './audit-store';
import { verifyChain, type Verdict } from './verify-chain';

/** Reads the whole trail in sequence order, a page at a time, and verifies it against the anchor. */
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
  return verifyChain(key, records, anchor);
}
