import { createDataSource, openDataSource } from '../common/database/datasource';
import { StatementCounter } from '../common/database/statement-counter';
import { gatewayKeyFile, loadSecret } from '../common/key-files';
import { AUDIT_MIGRATIONS } from '../gateway/audit/migrations';
import { reportVerdict, verifyAuditTrail } from '../gateway/audit/verify-store';
import { loadGatewayConfig } from '../gateway/config';

/**
 * `npm run audit:verify`: re-walks the audit chain and checks the spool a
 * shutdown may have left; exit 0 only when every record is intact and in
 * the chain, 1 when something is broken, 3 when records still wait in the
 * spool (docs/audit-trail.md).
 */
async function main(): Promise<number> {
  const config = loadGatewayConfig();
  const key = loadSecret('AUDIT_CHAIN_KEY', config.auditKey, gatewayKeyFile(config.dataDir, 'audit-chain.key'));
  const dataSource = await openDataSource(
    createDataSource(config.database, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()),
    config.database,
  );
  try {
    const verdict = await verifyAuditTrail(dataSource, key, config.auditAnchorPath, config.auditSpoolPath);
    const { text, code } = reportVerdict(verdict, config.auditSpoolPath);
    process.stdout.write(`${text}\n`);
    return code;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
