/** Where a service keeps its data: a SQLite file, or a PostgreSQL database by URL. */
export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
