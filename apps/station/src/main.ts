// Station agent entry: env → slots → Redis → register + heartbeat, and an ordered shutdown.
import { createLogger } from '@station/logger';
import { startAgent } from './agent/runtime';
import { ServiceUnavailableError } from './infra/redis';
import { installShutdown } from './infra/shutdown';
import { MissingSerialPortError } from './slots/serial-slots';

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
const logger = createLogger({ name: 'station', level: env.LOG_LEVEL });

const agent = await startAgent(env, logger).catch((error: unknown) => {
  if (error instanceof ServiceUnavailableError || error instanceof MissingSerialPortError) {
    exitWithMessage(error.message);
  }
  throw error;
});

const shutdown = installShutdown(agent.shutdownSteps, {
  logger,
  timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
});
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err) => {
    logger.fatal({ err, event }, 'crashed');
    void shutdown(event).finally(() => process.exit(1));
  });
}
logger.info(
  { stationId: env.STATION_ID, emulator: env.EMULATOR, slots: agent.registration.slots.length },
  'station agent running',
);
