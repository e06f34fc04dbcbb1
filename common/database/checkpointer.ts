import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';

/**
 * Copies a SQLite database's write-ahead log into the database file from a
 * worker thread, on its own connection, every `intervalMs`. Left to the
 * writing connection, SQLite checkpoints inside whichever commit crosses a
 * thousand pages, and with `synchronous = NORMAL` that checkpoint syncs the
 * log and the file to disk: the event loop stops for the copy and two
 * fsyncs, and every request waits with it. A PASSIVE checkpoint never
 * blocks the writer. The writer keeps a larger automatic checkpoint as a
 * backstop, should this thread fall behind or stop.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** The writer's own automatic checkpoint, in pages, once the checkpointer runs: a backstop. */
export const BACKSTOP_CHECKPOINT_PAGES = 20_000;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, logger: Logger, intervalMs = 500): Checkpointer {
  const worker = new Worker(WORKER, { eval: true, workerData: { path, intervalMs, driver: require.resolve('better-sqlite3') } });
  worker.unref();
  worker.on('message', (message: { error?: string }) =>
    logger.warn({ reason: message.error }, 'the SQLite checkpoint did not run; the writer checkpoints itself'),
  );
  worker.on('error', (error) => logger.error({ err: error }, 'the SQLite checkpointer stopped; the writer checkpoints itself'));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop: async () => {
      worker.postMessage('stop');
      await exited;
    },
  };
}
