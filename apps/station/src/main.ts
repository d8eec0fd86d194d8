// Station agent entry: env → slots → Redis → register + heartbeat, and an ordered shutdown. A slot
// whose adapter is missing starts offline; it never stops the start.
import { JigBusyError } from '@station/emulator';
import { runEntryPoint } from '@station/runtime';

await runEntryPoint({
  name: 'station',
  loadEnv: () => import('./env'),
  // Imported only now: the agent's modules import values from ./env, which would evaluate it (and
  // throw a bad variable as a stack trace) before loadEnv could report it as a message.
  start: async (env, logger) => (await import('./agent/runtime')).startAgent(env, logger),
  fixableErrors: [JigBusyError],
  afterStart: ({ env, logger, started }) =>
    logger.info(
      {
        stationId: env.STATION_ID,
        emulator: env.EMULATOR,
        slots: started.registration.slots.length,
      },
      'station agent running',
    ),
});
