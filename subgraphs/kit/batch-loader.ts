import DataLoader from 'dataloader';

/**
 * Per-request loaders. The batch function receives every key requested in
 * one tick and must issue one `WHERE key IN (...)` query; these helpers put
 * the rows back in key order, as DataLoader requires.
 */
/** Keys per `IN (...)`: far below SQLite's and PostgreSQL's parameter limits. */
export const MAX_BATCH_SIZE = 1000;

export class NotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly key: string,
  ) {
    super(`${entity} ${key} not found`);
  }
}

/** One row per key; a missing key yields a NotFoundError for that key only. */
export function createKeyedLoader<V>(
  entity: string,
  fetch: (keys: readonly string[]) => Promise<V[]>,
  keyOf: (row: V) => string,
): DataLoader<string, V> {
  return new DataLoader<string, V>(
    async (keys) => {
      const rows = await fetch(keys);
      const byKey = new Map(rows.map((row) => [keyOf(row), row]));
      return keys.map((key) => byKey.get(key) ?? new NotFoundError(entity, key));
    },
    { maxBatchSize: MAX_BATCH_SIZE },
  );
}

/** Many rows per key (one-to-many); a key without rows yields an empty list. */
export function createGroupedLoader<V>(
  fetch: (keys: readonly string[]) => Promise<V[]>,
  keyOf: (row: V) => string,
): DataLoader<string, V[]> {
  return new DataLoader<string, V[]>(
    async (keys) => {
      const rows = await fetch(keys);
      const groups = new Map<string, V[]>();
      for (const row of rows) {
        const key = keyOf(row);
        const group = groups.get(key);
        if (group) group.push(row);
        else groups.set(key, [row]);
      }
      return keys.map((key) => groups.get(key) ?? []);
    },
    { maxBatchSize: MAX_BATCH_SIZE },
  );
}

/** For nullable lookups: a missing row is null, any other failure still throws. */
export async function loadOrNull<V>(loader: DataLoader<string, V>, key: string): Promise<V | null> {
  try {
    return await loader.load(key);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}
