import { createLogger } from '../common/logger';
import { stopOnSignals } from '../common/process';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';

async function main(): Promise<void> {
  const logger = createLogger('gateway');
  try {
    const config = loadGatewayConfig();
    logger.level = config.logLevel;
    const running = await startGateway(config, logger);
    stopOnSignals(logger, running.stop);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
}

void main();
