import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { SlotStatus, StationRegistration } from '@station/contracts';
import type { Logger } from '@station/logger';
import {
  assertRedisReachable,
  createRedis,
  waitUntilReady,
  type ShutdownStep,
} from '@station/runtime';
import packageJson from '../../package.json' with { type: 'json' };
import type { StationEnv } from '../env';
import { startEmulatedJig } from '../slots/emulated-slots';
import { serialSlots } from '../slots/serial-slots';
import { StationPresence } from './station-presence';

export interface AgentRuntime {
  registration: StationRegistration;
  /** Ordered: stop taking jobs, say goodbye, release ports, then Redis (rule 32). */
  shutdownSteps: ShutdownStep[];
}

interface ResolvedSlots {
  slots: SlotStatus[];
  /** Releases what resolving the slots started (the emulated jig); a no-op for real ports. */
  close: () => Promise<void>;
}

async function resolveSlots(env: StationEnv, logger: Logger): Promise<ResolvedSlots> {
  if (!env.EMULATOR) {
    return {
      slots: await serialSlots(env.SERIAL_PORTS ?? [], env.SLOT_POWER),
      close: async () => {},
    };
  }
  const { jig, slots } = await startEmulatedJig({
    stationId: env.STATION_ID,
    count: env.EMULATOR_SLOTS,
    dir: env.JIG_DIR,
    onError: (err) => logger.warn({ err }, 'emulated jig error'),
  });
  logger.info({ dir: env.JIG_DIR, slots: slots.length }, 'emulated jig started');
  return { slots, close: () => jig.close() };
}

/**
 * Brings the agent up: finds its slots (checking real ports exist), connects to Redis (one clear
 * sentence when it is not there), registers and starts the heartbeat.
 */
export async function startAgent(env: StationEnv, logger: Logger): Promise<AgentRuntime> {
  await assertRedisReachable(env.REDIS_URL);
  const { slots, close: closeSlots } = await resolveSlots(env, logger);
  const redis = createRedis(env.REDIS_URL, logger, `station-${env.STATION_ID}`);
  const registration: StationRegistration = {
    v: 1,
    stationId: env.STATION_ID,
    bootId: randomUUID(),
    hostname: hostname(),
    version: packageJson.version,
    startedAt: new Date().toISOString(),
    slots,
  };
  const presence = new StationPresence(redis, registration, {
    prefix: env.REDIS_PREFIX,
    intervalMs: env.HEARTBEAT_INTERVAL_MS,
    ttlMs: env.HEARTBEAT_TTL_MS,
    logger,
  });
  try {
    await waitUntilReady(redis);
    await presence.start();
  } catch (error) {
    redis.disconnect();
    await closeSlots();
    throw error;
  }

  return {
    registration,
    shutdownSteps: [
      // Flash workers will stop here first, once they exist.
      { name: 'unregister', run: () => presence.stop() },
      { name: 'slots', run: closeSlots },
      { name: 'redis', run: () => redis.quit() },
    ],
  };
}
