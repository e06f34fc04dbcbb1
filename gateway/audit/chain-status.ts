/**
 * The trail's state as stewards see it in the console: the newest record,
 * the anchor outside the database and how far behind it is, and the last
 * `npm run audit:verify`. Read on demand; nothing here verifies.
 */
import { statSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { readAnchor } from './anchor';

export interface ChainStatus {
  head: { seq: number; hash: string; at: string | null };
  anchor: { seq: number; hash: string; writtenAt: string; ageSeconds: number } | null;
  lastVerification: { at: string; intact: boolean; records: number; detail: string | null } | null;
}

export async function readChainStatus(dataSource: DataSource, key: Buffer, anchorFile: string, now = Date.now()): Promise<ChainStatus> {
  const [head] = (await dataSource.query('SELECT seq, hash, at FROM audit_event ORDER BY seq DESC LIMIT 1')) as {
    seq: number;
    hash: string;
    at: string;
  }[];
  const anchored = readAnchor(anchorFile, key);
  const written = anchored ? statSync(anchorFile).mtimeMs : 0;
  const [verified] = (await dataSource.query('SELECT at, intact, records, detail FROM audit_verification WHERE id = 1')) as {
    at: string;
    intact: boolean | number;
    records: number;
    detail: string | null;
  }[];
  return {
    head: head ? { seq: Number(head.seq), hash: head.hash, at: head.at } : { seq: 0, hash: '', at: null },
    anchor: anchored
      ? {
          seq: anchored.seq,
          hash: anchored.hash,
          writtenAt: new Date(written).toISOString(),
          ageSeconds: Math.max(0, Math.round((now - written) / 1000)),
        }
      : null,
    lastVerification: verified
      ? { at: verified.at, intact: Boolean(verified.intact), records: Number(verified.records), detail: verified.detail }
      : null,
  };
}

/** Keeps the outcome of an audit:verify run for the console (one row, rewritten). */
export async function recordVerification(dataSource: DataSource, intact: boolean, records: number, detail: string | null): Promise<void> {
  const postgres = dataSource.options.type === 'postgres';
  const [at, flag] = [new Date().toISOString(), postgres ? intact : intact ? 1 : 0];
  await dataSource.query(
    postgres
      ? 'INSERT INTO audit_verification (id, at, intact, records, detail) VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET at = excluded.at, intact = excluded.intact, records = excluded.records, detail = excluded.detail'
      : 'INSERT INTO audit_verification (id, at, intact, records, detail) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at, intact = excluded.intact, records = excluded.records, detail = excluded.detail',
    [at, flag, records, detail],
  );
}
