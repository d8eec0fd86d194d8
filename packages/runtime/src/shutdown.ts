import type { Logger } from '@station/logger';

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown> | unknown;
}

/**
 * Runs shutdown steps in order once, on SIGTERM/SIGINT, with an unref()ed hard deadline so a
 * stuck step cannot keep the process alive. A failing step is logged and the next one still runs.
 */
export function installShutdown(
  steps: ShutdownStep[],
  options: { logger: Logger; timeoutMs: number },
): (reason: string) => Promise<void> {
  const { logger } = options;
  let running: Promise<void> | undefined;

  const shutdown = (reason: string): Promise<void> => {
    running ??= (async () => {
      logger.info({ reason }, 'shutting down');
      const deadline = setTimeout(() => {
        logger.fatal({ timeoutMs: options.timeoutMs }, 'shutdown deadline passed, exiting');
        process.exit(1);
      }, options.timeoutMs);
      deadline.unref();
      for (const step of steps) {
        try {
          await step.run();
          logger.debug({ step: step.name }, 'shutdown step done');
        } catch (err) {
          logger.error({ err, step: step.name }, 'shutdown step failed');
        }
      }
      clearTimeout(deadline);
      logger.info('shutdown complete');
    })();
    return running;
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void shutdown(signal).then(() => process.exit(0)));
  }
  return shutdown;
}
