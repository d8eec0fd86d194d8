import {
  firmwarePackageRepository,
  stationRepository,
  type PrismaClient,
  type SlotInput,
} from '@station/db';
import type { SlotStatus } from '@station/contracts';
import {
  StationRegistration,
  StationStatus,
  type StationRegistration as Registration,
} from '@station/contracts';
import type { Redis } from 'ioredis';
import type { StationStore } from './station-registry.service';

/** What the server remembers of a station between restarts (its last registration). */
const RememberedStation = StationStatus.omit({ connected: true });

/** Adapter identity → the db's adapter record; unknown identities leave the binding as it is. */
function adapterInput(identity: string | null): SlotInput['adapter'] {
  if (identity === null) return undefined;
  if (identity.startsWith('usb-serial:')) {
    return { identity, serialNumber: identity.slice('usb-serial:'.length) };
  }
  if (identity.startsWith('usb-path:'))
    return { identity, usbPath: identity.slice('usb-path:'.length) };
  return { identity, description: 'emulated adapter' };
}

const slotInput = (slot: SlotStatus): SlotInput => ({
  index: slot.slot - 1,
  label: `slot-${String(slot.slot).padStart(2, '0')}`,
  powerControl: slot.power,
  // A slot the station reports offline has no adapter now: its open binding is closed.
  adapter: slot.online === false ? null : adapterInput(slot.adapter),
});

/**
 * Postgres holds the durable record (station, slots, adapters and swap history, via the db
 * repository; the server is the only writer). Port paths and the agent version are not columns
 * there, so the last registration is also kept in a Redis hash the server reads back at start;
 * if Redis lost it, the agent re-registers when it finds its heartbeat key gone.
 */
export function createStationStore(deps: {
  prisma: PrismaClient;
  redis: Redis;
  prefix: string;
}): StationStore {
  const hashKey = `${deps.prefix}:stations:registrations`;
  return {
    async saveRegistration(registration: Registration, seenAt: Date) {
      const parsed = StationRegistration.parse(registration);
      const { stationId, hostname, version, slots, packages = [] } = parsed;
      // Redis first: a restarted server still knows the station while Postgres is down.
      const remembered = {
        stationId,
        hostname,
        version,
        slots,
        packages,
        lastSeenAt: seenAt.toISOString(),
      };
      await deps.redis.hset(hashKey, stationId, JSON.stringify(remembered));
      await stationRepository.upsert(deps.prisma, {
        code: stationId,
        name: stationId,
        hostname,
        slots: slots.map(slotInput),
      });
      for (const pkg of packages)
        await firmwarePackageRepository.upsertFromStation(deps.prisma, pkg);
    },

    async loadStations() {
      const entries = Object.values(await deps.redis.hgetall(hashKey));
      // A malformed entry (older format) is skipped: the agent's next registration replaces it.
      return entries.flatMap((json) => {
        const parsed = RememberedStation.safeParse(safeJson(json));
        return parsed.success ? [parsed.data] : [];
      });
    },
  };
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};
