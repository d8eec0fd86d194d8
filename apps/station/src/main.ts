// Station agent entry: env → slots → Redis → register + heartbeat, and an ordered shutdown.
import { runEntryPoint } from '@station/runtime';
import { startAgent } from './agent/runtime';
import { MissingSerialPortError } from './slots/serial-slots';

await runEntryPoint({
  name: 'station',
  loadEnv: () => import('./env'),
  start: startAgent,
  fixableErrors: [MissingSerialPortError],
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
