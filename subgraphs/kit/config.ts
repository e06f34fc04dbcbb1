import path from 'node:path';
import { findDepartment } from '../../common/departments';
import { readEnum, readOptional, readPort, readString, type Env } from '../../common/env';
import { LOG_LEVELS, type LogLevel } from '../../common/logger';

import type { DatabaseConfig } from '../../common/database/datasource';

export type { DatabaseConfig };

export interface SubgraphConfig {
  service: string;
  port: number;
  host: string;
  database: DatabaseConfig;
  logLevel: LogLevel;
  /** Sandbox keys live here. */
  dataDir: string;
  /** This subgraph's own keys for the governance context (`<key id>:<base64>`, comma-separated); its sandbox folder under dataDir when unset. */
  verifyKeys: string | undefined;
}

export interface SubgraphEnvKeys {
  service: string;
  portKey: string;
  defaultPort: number;
  databaseUrlKey: string;
}

/** Shared shape of every subgraph's configuration; each subgraph's config.ts supplies its keys. */
export function parseSubgraphConfig(keys: SubgraphEnvKeys, env: Env): SubgraphConfig {
  const dataDir = path.resolve(readString(env, 'DATA_DIR', './data'));
  const url = readOptional(env, keys.databaseUrlKey);
  return {
    service: keys.service,
    port: readPort(env, keys.portKey, keys.defaultPort),
    host: readString(env, 'HOST', '127.0.0.1'),
    database: url ? { kind: 'postgres', url } : { kind: 'sqlite', path: path.join(dataDir, `${keys.service}.sqlite`) },
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    dataDir,
    verifyKeys: readOptional(env, 'GOVERNANCE_VERIFY_KEYS'),
  };
}

/** A department's subgraph configuration, its keys taken from the department registry. */
export function loadDepartmentConfig(name: string, env: Env = process.env): SubgraphConfig {
  const { env: keys, defaultPort } = findDepartment(name);
  return parseSubgraphConfig({ service: name, portKey: keys.port, defaultPort, databaseUrlKey: keys.databaseUrl }, env);
}
