/**
 * A throwaway PostgreSQL server for one test file (scripts/postgres-server.ts,
 * which `npm run cluster` starts too): its own data folder, a free port,
 * trust authentication, gone when stopped.
 */
export { startPostgres, type Postgres } from '../../scripts/postgres-server';
