import path from 'node:path';
import type { DatabaseConfig } from './database/database-config';
import { findDepartment } from './departments';
import { readEnum, readOptional, readPort, readString, type Env } from './env';
import { subgraphKeyFolder } from './key-files';
import { LOG_LEVELS, type LogLevel } from './logger';
import { readTracingSettings, type TracingSettings } from './tracing';

/**
 * A department subgraph's configuration, whatever it is built on: read once
 * at start from the environment and the department registry. Only this file
 * reads a subgraph's environment.
 */
export interface SubgraphConfig {
  service: string;
  port: number;
  host: string;
  database: DatabaseConfig;
  logLevel: LogLevel;
  /** Where the sandbox keeps the SQLite files. */
  dataDir: string;
  /** The subgraph's own key folder in the sandbox (its registry entry's `keys`, under dataDir): the only keys it reads. */
  keysFolder: string;
  /** This subgraph's own keys for the governance context (`<key id>:<base64>`, comma-separated); its keys folder when unset. */
  verifyKeys: string | undefined;
  /** Where and how traces are exported (OpenTelemetry's OTEL_* variables); undefined: tracing is off. */
  tracing: TracingSettings | undefined;
}

export interface SubgraphEnvKeys {
  service: string;
  portKey: string;
  defaultPort: number;
  databaseUrlKey: string;
  /** The registry's key folder, relative to DATA_DIR. */
  keyFolder: string;
}

/** Shared shape of every subgraph's configuration; the registry supplies each one's variables. */
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
    keysFolder: subgraphKeyFolder(dataDir, keys.keyFolder),
    verifyKeys: readOptional(env, 'GOVERNANCE_VERIFY_KEYS'),
    tracing: readTracingSettings(env, `govgraph-${keys.service}`),
  };
}

/** A department's subgraph configuration, its variables and key folder taken from the department registry. */
export function loadDepartmentConfig(name: string, env: Env = process.env): SubgraphConfig {
  const { env: variables, defaultPort, keys } = findDepartment(name);
  return parseSubgraphConfig(
    { service: name, portKey: variables.port, defaultPort, databaseUrlKey: variables.databaseUrl, keyFolder: keys },
    env,
  );
}
