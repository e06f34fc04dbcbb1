import { createDataSource, openDataSource } from '../common/database/datasource';
import { StatementCounter } from '../common/database/statement-counter';
import { gatewayKeyFile, loadSecret } from '../common/key-files';
import { GATEWAY_ENTITIES, GATEWAY_MIGRATIONS } from '../gateway/database';
import { reportVerdict, verifyAuditTrail } from '../gateway/audit/verify-store';
import { recordVerification } from '../gateway/audit/chain-status';
import { loadGatewayConfig } from '../gateway/config';
import { verifySharingSteps } from '../gateway/sharing/verify-steps';

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
    createDataSource(config.database, { entities: GATEWAY_ENTITIES, migrations: GATEWAY_MIGRATIONS }, new StatementCounter()),
    config.database,
  );
  try {
    const verdict = await verifyAuditTrail(dataSource, key, config.auditAnchorPath, config.auditSpoolPath);
    const { text, code } = reportVerdict(verdict, config.auditSpoolPath);
    process.stdout.write(`${text}\n`);
    const records = 'records' in verdict ? verdict.records : 0;
    if (code !== 0) {
      await recordVerification(dataSource, false, records, text);
      return code;
    }
    // The chain is whole: the sharing workflow's history must agree with it.
    const steps = await verifySharingSteps(dataSource);
    if (steps.problems.length > 0) {
      const disagreement = `sharing history DISAGREES with the audit trail:\n${steps.problems.map((p) => `  ${p}\n`).join('')}`;
      process.stdout.write(disagreement);
      await recordVerification(dataSource, false, records, disagreement.trim());
      return 1;
    }
    process.stdout.write(`sharing history agrees with the audit trail: ${steps.steps} steps\n`);
    // What the console shows as the last verification.
    await recordVerification(dataSource, true, records, null);
    return 0;
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
