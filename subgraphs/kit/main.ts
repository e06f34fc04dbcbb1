import { createLogger } from '../../common/logger';
import { stopOnSignals } from '../../common/process';
import { loadDepartmentConfig } from './config';
import { startSubgraph, type SubgraphDefinition } from './subgraph';

/**
 * Process entry for one department's subgraph: its configuration from the
 * registry and the environment, start, and stop cleanly on SIGINT/SIGTERM.
 */
export async function runSubgraph<L, S>(definition: SubgraphDefinition<L, S>): Promise<void> {
  const logger = createLogger(definition.name);
  try {
    const config = loadDepartmentConfig(definition.name);
    logger.level = config.logLevel;
    const running = await startSubgraph(definition, config, logger);
    stopOnSignals(logger, running.stop);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
}
