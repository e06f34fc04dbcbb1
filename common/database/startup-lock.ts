import type { DataSource } from 'typeorm';

/**
 * Replicas of one service start together on one PostgreSQL database (a
 * rollout starts several at once): each would apply the same migrations and
 * seed the same rows, and all but one would fail on the keys the first one
 * wrote. Work that sets the database up runs under this session-level
 * advisory lock, one replica after another; the later ones find it done.
 * SQLite is one process's file: the work just runs.
 */

/** "govgraph startup", 63 bits of its SHA-256: the key no other lock of ours uses. */
const STARTUP_LOCK = '143680686993794236';

export async function withStartupLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'postgres') return work();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(${STARTUP_LOCK})`);
    try {
      return await work();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(${STARTUP_LOCK})`).catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}
