// A station's control stream: its registration when it starts (or finds its keys lost) and its
// goodbye when it stops, each signed with its key (StationStreams checked the signature). This
// replaces the shared control queue any client could write: a registration is believed only for
// the station whose stream it is on, from the station holding that station's key.
import { StationControlMessage } from '@station/contracts';
import type { Logger } from '@station/logger';
import { DEFAULT_RETRY_DELAYS, waitBeforeRetry, type RetryDelays } from '../flash/retry-delay';
import type { StreamEntry } from '../flash/station-streams';
import type { StationRegistry } from './station-registry.service';

export function createStationControlHandler(deps: {
  registry: StationRegistry;
  logger: Logger;
  retry?: RetryDelays;
}) {
  const { registry, logger } = deps;

  return async function handle(entry: StreamEntry, signal: AbortSignal): Promise<void> {
    const parsed = StationControlMessage.safeParse(entry.message);
    if (!parsed.success) {
      logger.error(
        { stationId: entry.stationId, id: entry.id, issues: parsed.error.issues },
        'malformed control message refused',
      );
      return;
    }
    const message = parsed.data;
    const claimed =
      message.type === 'register'
        ? message.registration.stationId
        : message.unregistration.stationId;
    if (claimed !== entry.stationId) {
      logger.error(
        { stationId: entry.stationId, claimed },
        'control message naming another station refused',
      );
      return;
    }
    if (message.type === 'unregister') {
      registry.unregister(message.unregistration);
      return;
    }
    // Registration is an upsert: retried until Postgres takes it (the entry stays pending meanwhile).
    for (let tryNumber = 1; ; tryNumber += 1) {
      signal.throwIfAborted();
      try {
        await registry.register(message.registration);
        return;
      } catch (err) {
        if (tryNumber === 1 || tryNumber % 10 === 0)
          logger.warn(
            { err, stationId: entry.stationId, tryNumber },
            'storing registration failed: retrying',
          );
        await waitBeforeRetry(tryNumber, deps.retry ?? DEFAULT_RETRY_DELAYS, signal);
      }
    }
  };
}
