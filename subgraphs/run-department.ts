import { createLogger } from '../common/logger';
import { stopOnSignals } from '../common/process';
import { loadDepartmentConfig } from '../common/subgraph-config';
import type { DepartmentServer } from './department-server';

/**
 * Process entry for one department's subgraph, whatever it is built on: its
 * configuration from the registry and the environment, start, and stop
 * cleanly on SIGINT/SIGTERM.
 */
export async function runDepartment(department: DepartmentServer): Promise<void> {
  const logger = createLogger(department.name);
  try {
    const config = loadDepartmentConfig(department.name);
    logger.level = config.logLevel;
    const running = await department.start(config, logger);
    stopOnSignals(logger, running.stop);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
}
