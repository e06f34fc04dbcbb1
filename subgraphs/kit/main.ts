import { createLogger } from '../../common/logger';
import { stopOnSignals } from '../../common/process';
import type { SubgraphConfig } from './config';
import { startSubgraph, type SubgraphDefinition } from './subgraph';

/** Process entry for one subgraph: start, and stop cleanly on SIGINT/SIGTERM. */
export async function runSubgraph<L, S>(definition: SubgraphDefinition<L, S>, loadConfig: () => SubgraphConfig): Promise<void> {
  const logger = createLogger(definition.name);
  try {
    const config = loadConfig();
    logger.level = config.logLevel;
    const running = await startSubgraph(definition, config, logger);
    stopOnSignals(logger, running.stop);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
}
