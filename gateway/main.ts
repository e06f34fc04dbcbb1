import { createLogger } from '../common/logger';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';

async function main(): Promise<void> {
  const logger = createLogger('gateway');
  try {
    const config = loadGatewayConfig();
    logger.level = config.logLevel;
    const running = await startGateway(config, logger);
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping');
      running.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
}

void main();
