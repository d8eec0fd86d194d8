// Station agent entry: env → slots → Redis → register + heartbeat, and an ordered shutdown.
import { JigBusyError } from '@station/emulator';
import { runEntryPoint } from '@station/runtime';
import { startAgent } from './agent/runtime';
import { MissingSerialPortError } from './slots/serial-slots';

await runEntryPoint({
  name: 'station',
  loadEnv: () => import('./env'),
  start: startAgent,
  fixableErrors: [MissingSerialPortError, JigBusyError],
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
