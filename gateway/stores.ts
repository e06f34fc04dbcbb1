/**
 * The gateway's own database: the grants, and the audit trail whose chain
 * key lives outside it.
 */
import type { DataSource } from 'typeorm';
import { BACKSTOP_CHECKPOINT_PAGES, startCheckpointer, type Checkpointer } from '../common/database/checkpointer';
import { createDataSource, openDataSource } from '../common/database/datasource';
import { withStartupLock } from '../common/database/startup-lock';
import { StatementCounter } from '../common/database/statement-counter';
import { gatewayKeyFile, loadSecret } from '../common/key-files';
import type { Logger } from '../common/logger';
import { sandboxGrants } from './access/grants';
import type { Grant } from './access/policy';
import { claimAnchor, type AnchorClaim } from './audit/anchor-claim';
import { AuditStore } from './audit/audit-store';
import type { GatewayConfig } from './config';
import { GrantStore } from './grants/grant-store';
import { GATEWAY_ENTITIES, GATEWAY_MIGRATIONS } from './database';

export interface Stores {
  database: DataSource;
  audit: AuditStore;
  grants: GrantStore;
  auditKey: Buffer;
  checkpointer: Checkpointer | undefined;
  /** This process's hold on its anchor and spool, released once the audit is drained. */
  anchorClaim: AnchorClaim;
}

/**
 * PostgreSQL makes a commit durable as the server is configured: with
 * `synchronous_commit = off` (or `fsync = off`) it acknowledges commits it
 * may lose in a crash, and a response would leave before its record is
 * safe. The gateway does not change the server's settings; it says so.
 */
async function warnUnlessDurable(database: DataSource, logger: Logger): Promise<void> {
  const [{ synchronous_commit: commit }] = (await database.query('SHOW synchronous_commit')) as { synchronous_commit: string }[];
  const [{ fsync }] = (await database.query('SHOW fsync')) as { fsync: string }[];
  if (commit === 'off' || fsync !== 'on') {
    logger.warn(
      { synchronous_commit: commit, fsync },
      'the gateway database acknowledges commits it may lose in a crash: audit records of responses already sent could be lost; set synchronous_commit = on and fsync = on',
    );
  }
}

/** The gateway's own database: grants, and the audit trail whose chain key lives outside it. */
export async function openStores(config: GatewayConfig, logger: Logger, seedGrants: Grant[] | undefined): Promise<Stores> {
  const database = await openDataSource(
    createDataSource(config.database, { entities: GATEWAY_ENTITIES, migrations: GATEWAY_MIGRATIONS }, new StatementCounter(logger)),
    config.database,
  );
  // Audit commits are many and small: the log is copied into the file off the event loop.
  let checkpointer: Checkpointer | undefined;
  if (config.database.kind === 'sqlite') {
    const connection = (database.driver as unknown as { databaseConnection: { pragma(source: string): unknown } }).databaseConnection;
    connection.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
    // A response with personal data leaves once its record is committed, so committed must mean
    // on disk: FULL syncs the write-ahead log at every commit (NORMAL only at checkpoints, and a
    // power cut could take records whose responses had left). One sync per group commit
    // (docs/performance.md). The subgraphs' databases stay NORMAL.
    connection.pragma('synchronous = FULL');
    checkpointer = startCheckpointer(config.database.path, logger);
  } else {
    await warnUnlessDurable(database, logger);
  }
  let anchorClaim: AnchorClaim | undefined;
  try {
    anchorClaim = claimAnchor(config.auditAnchorPath);
    const auditKey = loadSecret('AUDIT_CHAIN_KEY', config.auditKey, gatewayKeyFile(config.dataDir, 'audit-chain.key'));
    const audit = new AuditStore(database, auditKey, config.auditAnchorPath, logger, config.auditSpoolPath);
    await audit.open();
    const grants = new GrantStore(database, logger);
    // Only the sandbox, with its own token key, ships sample grants; production grants are made by stewards.
    if (!config.auth.jwksUrl) await withStartupLock(database, () => grants.seedIfEmpty(seedGrants ?? sandboxGrants(new Date())));
    await grants.reload();
    grants.start(config.grantsReloadMs);
    return { database, audit, grants, auditKey, checkpointer, anchorClaim };
  } catch (error) {
    anchorClaim?.release();
    await checkpointer?.stop();
    throw error;
  }
}
