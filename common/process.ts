import type { Logger } from './logger';

/**
 * Stops a service once on SIGINT or SIGTERM, then exits. Ctrl-C reaches
 * every process of the group and the supervisor also sends SIGTERM, so the
 * second signal must not start a second shutdown.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
