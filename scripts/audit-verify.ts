import { createDataSource, openDataSource } from '../common/database/datasource';
import { StatementCounter } from '../common/database/statement-counter';
import { gatewayKeyFile, loadSecret } from '../common/key-files';
import { AUDIT_MIGRATIONS } from '../gateway/audit/migrations';
import { verifyAuditTrail } from '../gateway/audit/verify-store';
import { loadGatewayConfig } from '../gateway/config';

/** `npm run audit:verify`: re-walks the audit chain; exit 0 only when every record is intact. */
async function main(): Promise<number> {
  const config = loadGatewayConfig();
  const key = loadSecret('AUDIT_CHAIN_KEY', config.auditKey, gatewayKeyFile(config.dataDir, 'audit-chain.key'));
  const dataSource = await openDataSource(
    createDataSource(config.database, { entities: [], migrations: AUDIT_MIGRATIONS }, new StatementCounter()),
    config.database,
  );
  try {
    const verdict = await verifyAuditTrail(dataSource, key, config.auditAnchorPath);
    if (verdict.intact) {
      const tail = verdict.unindexed ? ` (the last ${verdict.unindexed} not in the subject index yet)` : '';
      process.stdout.write(`audit trail intact: ${verdict.records} records${tail}\n`);
      return 0;
    }
    process.stdout.write(`audit trail BROKEN at record ${verdict.seq} (${verdict.problem}): ${verdict.detail}\n`);
    return 1;
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
