import type { DatabaseConfig } from '../../common/database/database-config';
import type { County } from '../../synth/county';
import { migrate } from './migrations/migrate';
import { RECORD_MIGRATIONS } from './migrations/records';
import { openSql, type Sql } from './sql';

/** Rows per INSERT: within SQLite's and PostgreSQL's parameter limits. */
const MAX_PARAMETERS = 30_000;

async function insertAll(tx: Sql, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  const perStatement = Math.floor(MAX_PARAMETERS / columns.length);
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values = chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
    await tx.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, chunk.flat());
  }
}

/** Replaces social security's records with the county's employment records and pension payments. */
export async function seedSocialSecurity(database: DatabaseConfig, county: Pick<County, 'employments' | 'pensionPayments'>): Promise<void> {
  const sql = openSql(database, { count: 0 });
  try {
    await migrate(sql, 'schema_migration', RECORD_MIGRATIONS);
    await sql.transaction(async (tx) => {
      await tx.query('DELETE FROM pension_payment');
      await tx.query('DELETE FROM employment');
      await insertAll(
        tx,
        'employment',
        ['id', 'resident_id', 'area_code', 'status', 'employer_name', 'since'],
        county.employments.map((e) => [e.id, e.residentId, e.areaCode, e.status, e.employerName, e.since]),
      );
      await insertAll(
        tx,
        'pension_payment',
        ['id', 'resident_id', 'area_code', 'month', 'scheme', 'amount', 'paid_on'],
        county.pensionPayments.map((p) => [p.id, p.residentId, p.areaCode, p.month, p.scheme, p.amount, p.paidOn]),
      );
    });
  } finally {
    await sql.close();
  }
}
