import DataLoader from 'dataloader';
import type { EmploymentRecord, PensionRecord, Records } from './records';

/**
 * Per-request loaders: every key asked for in one tick is fetched with one
 * statement (`WHERE … IN (…)`), so a page of 100 residents costs one
 * statement per relation, not one per resident. Made for each request, so
 * nothing is cached across callers with different areas.
 */
export interface Loaders {
  employmentOf: DataLoader<string, EmploymentRecord | null>;
  pensionsOf: DataLoader<string, PensionRecord[]>;
  employmentById: DataLoader<string, EmploymentRecord | null>;
  pensionById: DataLoader<string, PensionRecord | null>;
}

/** Keys per statement: far below SQLite's and PostgreSQL's parameter limits. */
const MAX_BATCH_SIZE = 1000;

function one<V>(fetch: (keys: readonly string[]) => Promise<V[]>, keyOf: (row: V) => string): DataLoader<string, V | null> {
  return new DataLoader(
    async (keys) => {
      const byKey = new Map((await fetch(keys)).map((row) => [keyOf(row), row]));
      return keys.map((key) => byKey.get(key) ?? null);
    },
    { maxBatchSize: MAX_BATCH_SIZE },
  );
}

function many<V>(fetch: (keys: readonly string[]) => Promise<V[]>, keyOf: (row: V) => string): DataLoader<string, V[]> {
  return new DataLoader(
    async (keys) => {
      const groups = new Map<string, V[]>();
      for (const row of await fetch(keys)) {
        const group = groups.get(keyOf(row));
        if (group) group.push(row);
        else groups.set(keyOf(row), [row]);
      }
      return keys.map((key) => groups.get(key) ?? []);
    },
    { maxBatchSize: MAX_BATCH_SIZE },
  );
}

export function createLoaders(records: Records): Loaders {
  return {
    employmentOf: one(
      (ids) => records.employmentsOf(ids),
      (row) => row.residentId,
    ),
    pensionsOf: many(
      (ids) => records.pensionsOf(ids),
      (row) => row.residentId,
    ),
    employmentById: one(
      (ids) => records.employmentsById(ids),
      (row) => row.id,
    ),
    pensionById: one(
      (ids) => records.pensionsById(ids),
      (row) => row.id,
    ),
  };
}
