// Station agent entry: env → slots → Redis → register + heartbeat, and an ordered shutdown. A slot
// whose adapter is missing starts offline; it never stops the start.
import { JigBusyError } from '@station/emulator';
import { runEntryPoint } from '@station/runtime';
import { startAgent } from './agent/runtime';

await runEntryPoint({
  name: 'station',
  loadEnv: () => import('./env'),
  start: startAgent,
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
