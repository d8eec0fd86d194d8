// Server entry: env → connections → app → listen, and an ordered shutdown on SIGTERM/SIGINT.
import { DatabaseUnavailableError } from '@station/db';
import { createLogger } from '@station/logger';
import { ServiceUnavailableError } from './infra/redis';
import { installShutdown } from './infra/shutdown';
import { createServerRuntime } from './runtime';

/** Startup failures a user can fix get one sentence on stderr and exit 1, not a stack trace. */
function exitWithMessage(message: string): never {
  console.error(message);
  process.exit(1);
}

const { env } = await import('./env').catch((error: unknown) =>
  error instanceof Error && error.name === 'EnvError'
    ? exitWithMessage(error.message)
    : Promise.reject(error),
);
const logger = createLogger({ name: 'server', level: env.LOG_LEVEL });

const runtime = await createServerRuntime(env, logger).catch((error: unknown) => {
  if (error instanceof ServiceUnavailableError || error instanceof DatabaseUnavailableError) {
    exitWithMessage(error.message);
  }
  throw error;
});

const shutdown = installShutdown(runtime.shutdownSteps, {
  logger,
  timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
});
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err) => {
    logger.fatal({ err, event }, 'crashed');
    void shutdown(event).finally(() => process.exit(1));
  });
}

await runtime.app
  .listen({ host: env.HOST, port: env.SERVER_PORT })
  .catch(async (error: unknown) => {
    await shutdown('listen failed');
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      exitWithMessage(
        `Port ${env.SERVER_PORT} on ${env.HOST} is already in use: stop the other process or set SERVER_PORT.`,
      );
    }
    throw error;
  });
