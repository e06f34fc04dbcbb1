/**
 * The gateway's configuration, read from environment variables once at
 * start; a bad value stops the gateway naming the variable.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import type { DatabaseConfig } from '../common/database/datasource';
import { DEPARTMENTS } from '../common/departments';
import { ConfigError, readEnum, readInteger, readOptional, readPort, readString, type Env } from '../common/env';
import type { ReadTimeouts } from '../common/http-server';
import { SIGNATURE_WINDOW_MS } from '../common/governance-context';
import { LOG_LEVELS, type LogLevel } from '../common/logger';
import { projectRoot } from '../common/project-root';
import { readTracingSettings, type TracingSettings } from '../common/tracing';
import { readCostBudgets, type CostBudgets } from './cost-budgets';
import type { RateLimitSettings } from './request/rate-limits';
import { SANDBOX_AUDIENCE, SANDBOX_ISSUER } from './identity/sandbox-keys';
import type { TokenSettings } from './identity/token-verifier';

export interface SubgraphEndpoint {
  name: string;
  url: string;
  /** Its key folder under dataDir, from the registry: where the sandbox hands out its key. */
  keys: string;
}

export interface GatewayConfig {
  port: number;
  host: string;
  supergraphPath: string;
  subgraphs: SubgraphEndpoint[];
  /** How long one call to a subgraph may take, waiting for a connection included, before its part of the answer is given up. */
  subgraphTimeoutMs: number;
  /** Connections open to one subgraph at most; further calls wait for one. */
  subgraphConnections: number;
  /** Requests a second per caller and per client address, and requests in flight per caller (0: no limit). */
  rateLimits: RateLimitSettings;
  /** Load balancers in front of the gateway, whose X-Forwarded-For names the client. */
  trustedProxies: string[];
  /** How long a request's headers, and then its body, may take to arrive. */
  readTimeouts: ReadTimeouts;
  /** Origins whose browser apps may call the API. */
  corsOrigins: string[];
  /** The estimated cost an operation may have, by role (`*` for any other role); the largest of the caller's roles applies. */
  costBudgets: CostBudgets;
  logLevel: LogLevel;
  /** The sandbox keys, the gateway's own SQLite database and the audit anchor live here by default. */
  dataDir: string;
  auth: TokenSettings;
  /** Base64 master key from which each subgraph's key for the governance context is derived; a file under dataDir when unset. */
  signingKey: string | undefined;
  /** Refuse a whole operation that selects a denied field, instead of answering null there. */
  strict: boolean;
  /** Base64 key for the PSEUDONYM masker; a file under dataDir when unset. */
  pseudonymKey: string | undefined;
  /** The gateway's own database: grants and the audit trail. */
  database: DatabaseConfig;
  /** How often grants are read again, ms. */
  grantsReloadMs: number;
  /** Base64 key of the audit hash chain, kept outside the audit database; a file under dataDir when unset. */
  auditKey: string | undefined;
  /**
   * This replica's name when several gateways share one database
   * (GATEWAY_REPLICA): each keeps its own anchor and spool, named after it.
   */
  replica: string | undefined;
  /** Where the chain head is anchored outside the database. */
  auditAnchorPath: string;
  /** The holiday calendar sharing time limits are counted on. */
  workingCalendarPath: string;
  /** Where audit records that could not be committed at shutdown wait for the next start: DATA_DIR/audit-spool[.replica].jsonl. */
  auditSpoolPath: string;
  /** How long stop() may take, requests in flight and the audit drain included, ms. */
  shutdownTimeoutMs: number;
  /** Where and how traces are exported (OpenTelemetry's OTEL_* variables); undefined: tracing is off. */
  tracing: TracingSettings | undefined;
}

/** A comma-separated list of IP addresses (none when unset). */
function readAddressList(env: Env, key: string): string[] {
  const addresses = (readOptional(env, key) ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter((address) => address !== '');
  const bad = addresses.find((address) => isIP(address) === 0);
  if (bad !== undefined) throw new ConfigError(`${key} must list IP addresses separated by commas, got "${bad}"`);
  return addresses;
}

/** A comma-separated list of web origins, `scheme://host[:port]` each (none when unset). */
function readOriginList(env: Env, key: string): string[] {
  const origins = (readOptional(env, key) ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(`${key} must list origins such as https://app.example.gov.cn (no path, no trailing slash), got "${origin}"`);
    }
  }
  return origins;
}

/** PostgreSQL when GATEWAY_DATABASE_URL is set, else a SQLite file in the data folder. */
function gatewayDatabase(env: Env, dataDir: string): DatabaseConfig {
  const url = readOptional(env, 'GATEWAY_DATABASE_URL');
  return url ? { kind: 'postgres', url } : { kind: 'sqlite', path: path.join(dataDir, 'gateway.sqlite') };
}

/** The gateway's configuration from the environment: the only place the gateway reads it. Defaults in docs/operations.md. */
/**
 * A replica's own file beside the others: its name before the extension
 * (`audit-anchor.json` → `audit-anchor.gateway-1.json`), also when the path
 * was given, so that one setting shared by every replica never puts two on one anchor.
 */
function replicaPath(file: string, replica: string | undefined): string {
  if (replica === undefined) return file;
  const extension = path.extname(file);
  return `${file.slice(0, file.length - extension.length)}.${replica}${extension}`;
}

/** A replica's name goes into file names: letters, digits and dashes. */
const REPLICA_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  const dataDir = path.resolve(readString(env, 'DATA_DIR', './data'));
  const replica = readOptional(env, 'GATEWAY_REPLICA');
  if (replica !== undefined && !REPLICA_NAME.test(replica)) {
    throw new ConfigError('GATEWAY_REPLICA must be 1 to 63 letters, digits or dashes, starting with a letter or digit');
  }
  return {
    port: readPort(env, 'PORT', 4000),
    host: readString(env, 'HOST', '127.0.0.1'),
    supergraphPath: path.resolve(readString(env, 'SUPERGRAPH_PATH', path.join(projectRoot(), 'schema', 'supergraph.graphql'))),
    // Per department: its URL variable, else its port variable on this host, else its default port.
    subgraphs: DEPARTMENTS.map(({ name, env: variables, defaultPort, keys }) => ({
      name,
      url: readString(env, variables.url, `http://127.0.0.1:${readPort(env, variables.port, defaultPort)}/graphql`),
      keys,
    })),
    // Below the signature window: a subgraph refuses a call signed longer ago than that anyway.
    subgraphTimeoutMs: readInteger(env, 'SUBGRAPH_TIMEOUT_MS', 10_000, 100, SIGNATURE_WINDOW_MS - 1_000),
    subgraphConnections: readInteger(env, 'SUBGRAPH_CONNECTIONS', 32, 1, 1024),
    costBudgets: readCostBudgets(env, 'QUERY_COST_BUDGETS'),
    rateLimits: {
      perCaller: readInteger(env, 'RATE_LIMIT_PER_CALLER', 100, 0, 1_000_000),
      perAddress: readInteger(env, 'RATE_LIMIT_PER_ADDRESS', 300, 0, 1_000_000),
      callerConcurrency: readInteger(env, 'CALLER_CONCURRENCY', 32, 0, 100_000),
      callerCostInFlight: readInteger(env, 'CALLER_COST_IN_FLIGHT', 30_000, 0, 100_000_000),
    },
    trustedProxies: readAddressList(env, 'TRUSTED_PROXIES'),
    corsOrigins: readOriginList(env, 'CORS_ORIGINS'),
    readTimeouts: {
      headersMs: readInteger(env, 'HEADERS_TIMEOUT_MS', 10_000, 1_000, 120_000),
      bodyMs: readInteger(env, 'BODY_TIMEOUT_MS', 10_000, 1_000, 120_000),
    },
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    dataDir,
    auth: {
      jwksUrl: readOptional(env, 'AUTH_JWKS_URL'),
      issuer: readString(env, 'AUTH_ISSUER', SANDBOX_ISSUER),
      audience: readString(env, 'AUTH_AUDIENCE', SANDBOX_AUDIENCE),
    },
    signingKey: readOptional(env, 'GOVERNANCE_SIGNING_KEY'),
    strict: readEnum(env, 'STRICT_MODE', ['true', 'false'] as const, 'false') === 'true',
    pseudonymKey: readOptional(env, 'PSEUDONYM_KEY'),
    database: gatewayDatabase(env, dataDir),
    grantsReloadMs: readPort(env, 'GRANTS_RELOAD_MS', 2000),
    auditKey: readOptional(env, 'AUDIT_CHAIN_KEY'),
    replica,
    auditAnchorPath: replicaPath(path.resolve(readString(env, 'AUDIT_ANCHOR_PATH', path.join(dataDir, 'audit-anchor.json'))), replica),
    workingCalendarPath: path.resolve(
      readString(env, 'WORKING_CALENDAR_PATH', path.join(projectRoot(), 'calendar', 'cn-working-days.json')),
    ),
    auditSpoolPath: replicaPath(path.join(dataDir, 'audit-spool.jsonl'), replica),
    // At least a second, or there is no time left to write the audit; at most ten minutes, past any supervisor's patience.
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 20_000, 1_000, 600_000),
    tracing: readTracingSettings(env, 'govgraph-gateway'),
  };
}
