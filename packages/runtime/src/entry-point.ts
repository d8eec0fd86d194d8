import { createLogger, type Logger } from '@station/logger';
import { installShutdown, type ShutdownStep } from './shutdown';
import { StartupError } from './startup-error';

/** What the runner needs from every app's configuration. */
export interface EntryPointEnv {
  LOG_LEVEL: string;
  SHUTDOWN_TIMEOUT_MS: number;
}

export interface Started {
  /** Run in order on SIGTERM/SIGINT or a crash. */
  shutdownSteps: ShutdownStep[];
}

export interface EntryPointOptions<E extends EntryPointEnv, S extends Started> {
  /** The logger's component name: `server`, `station`. */
  name: string;
  /**
   * Imports the app's env module (`() => import('./env')`). Dynamically, so that a bad variable,
   * thrown while the module evaluates, is printed as a message rather than a stack trace.
   */
  loadEnv: () => Promise<{ env: E }>;
  /** Connects and starts everything; returns the steps that undo it. */
  start: (env: E, logger: Logger) => Promise<S>;
  /**
   * Error classes from outside this package (e.g. @station/db's) whose message alone tells the
   * user what to fix, like a StartupError's.
   */
  fixableErrors?: ReadonlyArray<abstract new (...args: never[]) => Error>;
  /**
   * Runs once the signal and crash handlers are in place (listen, announce). If it throws, the
   * started parts are shut down before the error is reported.
   */
  afterStart?: (context: { env: E; logger: Logger; started: S }) => Promise<void> | void;
}

/** Startup failures a user can fix get one sentence on stderr and exit 1, not a stack trace. */
function exitWithMessage(message: string): never {
  console.error(message);
  process.exit(1);
}

/**
 * A process's life: env → logger → start → ordered shutdown on SIGTERM/SIGINT (exit 0) or on an
 * uncaught exception / unhandled rejection (exit 1). Errors nobody can act on are re-thrown.
 */
export async function runEntryPoint<E extends EntryPointEnv, S extends Started>(
  options: EntryPointOptions<E, S>,
): Promise<S> {
  const fixable = (error: unknown): error is Error =>
    error instanceof StartupError ||
    (options.fixableErrors ?? []).some((ErrorClass) => error instanceof ErrorClass);
  const exitIfFixable = (error: unknown): never => {
    if (fixable(error)) exitWithMessage(error.message);
    throw error;
  };

  const { env } = await options.loadEnv().catch(exitIfFixable);
  const logger = createLogger({ name: options.name, level: env.LOG_LEVEL });

  const started = await options.start(env, logger).catch(exitIfFixable);

  const shutdown = installShutdown(started.shutdownSteps, {
    logger,
    timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  });
  for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
    process.on(event, (err) => {
      logger.fatal({ err, event }, 'crashed');
      void shutdown(event).finally(() => process.exit(1));
    });
  }

  try {
    await options.afterStart?.({ env, logger, started });
  } catch (error) {
    await shutdown('start failed');
    exitIfFixable(error);
  }
  return started;
}
