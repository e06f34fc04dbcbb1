import { createLogger } from '../common/logger';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';

async function main(): Promise<void> {
  const logger = createLogger('gateway');
  try {
    const config = loadGatewayConfig();
    logger.level = config.logLevel;
    const running = await startGateway(config, logger);
    let stopping = false;
    // Ctrl-C reaches every process of the group and the supervisor then sends SIGTERM: stop once.
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      running.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
}

void main();
