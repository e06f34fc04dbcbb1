import type { Sql } from './sql';
import type { NonceLedger } from './verifier';

/**
 * The replay guard's memory in a table of the department's own storage, so a
 * nonce is accepted once across every instance on that storage and across
 * restarts. The insert is the check: a nonce already there inserts nothing.
 * On SQLite this is a connection to a file of its own
 * (social-security.nonces.sqlite), never inside another request's
 * transaction and never waiting on the records' write lock.
 */
export class SqlNonceLedger implements NonceLedger {
  constructor(private readonly sql: Sql) {}

  async accept(nonce: string, rememberUntil: number): Promise<boolean> {
    const inserted = await this.sql.query(
      'INSERT INTO accepted_nonce (nonce, remember_until) VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING RETURNING nonce',
      [nonce, rememberUntil],
    );
    return inserted.length === 1;
  }

  /** Forgets the nonces whose time is up; they can no longer come with an acceptable timestamp. */
  async forgetExpired(now: number): Promise<void> {
    await this.sql.query('DELETE FROM accepted_nonce WHERE remember_until < ?', [now]);
  }
}
