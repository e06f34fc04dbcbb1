import 'reflect-metadata';
import { findDepartment } from '../common/departments';
import { createLogger } from '../common/logger';
import { stopOnSignals } from '../common/process';
import { loadDepartmentConfig } from '../common/subgraph-config';
import { loadDepartment } from '../subgraphs/departments';
import { identifyBenchCaller } from './bench-caller';
import { onStatsRequest } from './ipc';

/**
 * One department's subgraph for the benchmark: its usual signed listener for
 * govgraph, plus the second listener every department offers harnesses
 * (subgraphs/department-server.ts), with the benchmark's unsigned caller
 * header, for the gateways that cannot sign. Reports the SQL statements it
 * has sent when the benchmark asks, over IPC.
 *
 * usage (forked by bench/main): node dist/bench/subgraph.js <department> <unsigned port>
 */
async function main(): Promise<void> {
  const [name = '', unsignedPort = ''] = process.argv.slice(2);
  if (!/^\d{1,5}$/.test(unsignedPort)) throw new Error('usage: subgraph.js <department> <unsigned port>');
  const department = await loadDepartment(findDepartment(name));
  const config = loadDepartmentConfig(name);
  const logger = createLogger(department.name, config.logLevel);
  const secondListener = { port: Number(unsignedPort), identify: identifyBenchCaller };
  const running = await department.start(config, logger, { secondListener });
  onStatsRequest(() => ({ statements: running.statements.count }));
  stopOnSignals(logger, running.stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench subgraph could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
