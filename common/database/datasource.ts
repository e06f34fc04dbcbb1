import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { DataSource, type EntitySchema, type MigrationInterface } from 'typeorm';

import type { DatabaseConfig } from './database-config';
import { SnakeNamingStrategy } from './naming.strategy';
import { withStartupLock } from './startup-lock';
import type { StatementCounter } from './statement-counter';

export type { DatabaseConfig };

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own entity type
type EntityTarget = Function | EntitySchema;

export interface DatabaseParts {
  entities: EntityTarget[];
  migrations: (new () => MigrationInterface)[];
}

/**
 * Builds (does not open) a subgraph's DataSource from configuration. Schema
 * changes only through migrations: `synchronize` stays off everywhere.
 */
export function createDataSource(db: DatabaseConfig, parts: DatabaseParts, counter: StatementCounter): DataSource {
  const common = {
    entities: parts.entities,
    migrations: parts.migrations,
    namingStrategy: new SnakeNamingStrategy(),
    logger: counter,
    synchronize: false,
    migrationsRun: false,
  } as const;
  if (db.kind === 'postgres') {
    return new DataSource({ type: 'postgres', url: db.url, extra: { max: 10 }, ...common });
  }
  return new DataSource({
    type: 'better-sqlite3',
    database: db.path,
    enableWAL: true,
    prepareDatabase: (connection: { pragma(source: string): unknown }) => {
      connection.pragma('synchronous = NORMAL');
    },
    ...common,
  });
}

/**
 * Opens the database, creating the SQLite folder (0700) and file (0600) if
 * needed: personal data is readable by its service's user alone (SQLite
 * gives its -wal and -shm files the database file's mode). Then applies
 * pending migrations: on PostgreSQL one replica at a time, so that replicas
 * starting together do not apply the same migration twice.
 */
export async function openDataSource(dataSource: DataSource, db: DatabaseConfig): Promise<DataSource> {
  if (db.kind === 'sqlite') {
    mkdirSync(path.dirname(db.path), { recursive: true, mode: 0o700 });
    closeSync(openSync(db.path, 'a', 0o600));
    chmodSync(db.path, 0o600);
  }
  await dataSource.initialize();
  await withStartupLock(dataSource, () => dataSource.runMigrations({ transaction: 'all' }));
  return dataSource;
}
