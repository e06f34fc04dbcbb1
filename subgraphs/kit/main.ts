import { createLogger } from '../../common/logger';
import type { SubgraphConfig } from './config';
import { startSubgraph, type SubgraphDefinition } from './subgraph';

/** Process entry for one subgraph: start, and stop cleanly on SIGINT/SIGTERM. */
export async function runSubgraph<L, S>(definition: SubgraphDefinition<L, S>, loadConfig: () => SubgraphConfig): Promise<void> {
  const logger = createLogger(definition.name);
  try {
    const config = loadConfig();
    logger.level = config.logLevel;
    const running = await startSubgraph(definition, config, logger);
    let stopping = false;
    // Ctrl-C reaches every process of the group and the supervisor then sends SIGTERM: stop once.
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      running.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'error while stopping');
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
}
