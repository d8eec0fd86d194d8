import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { SlotStatus, StationRegistration } from '@station/contracts';
import type { Logger } from '@station/logger';
import packageJson from '../../package.json' with { type: 'json' };
import type { StationEnv } from '../env';
import { assertRedisReachable, createRedis, waitUntilReady } from '../infra/redis';
import type { ShutdownStep } from '../infra/shutdown';
import { emulatedSlots } from '../slots/emulated-slots';
import { serialSlots } from '../slots/serial-slots';
import { StationPresence } from './station-presence';

export interface AgentRuntime {
  registration: StationRegistration;
  /** Ordered: stop taking jobs, say goodbye, release ports, then Redis (rule 32). */
  shutdownSteps: ShutdownStep[];
}

async function resolveSlots(env: StationEnv): Promise<SlotStatus[]> {
  if (env.EMULATOR) {
    return emulatedSlots({
      stationId: env.STATION_ID,
      count: env.EMULATOR_SLOTS,
      dir: env.JIG_DIR,
    });
  }
  return serialSlots(env.SERIAL_PORTS ?? [], env.SLOT_POWER);
}

/**
 * Brings the agent up: finds its slots (checking real ports exist), connects to Redis (one clear
 * sentence when it is not there), registers and starts the heartbeat.
 */
export async function startAgent(env: StationEnv, logger: Logger): Promise<AgentRuntime> {
  const slots = await resolveSlots(env);
  await assertRedisReachable(env.REDIS_URL);
  const redis = createRedis(env.REDIS_URL, logger, `station-${env.STATION_ID}`);
  await waitUntilReady(redis);

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
  await presence.start();

  return {
    registration,
    shutdownSteps: [
      { name: 'unregister', run: () => presence.stop() },
      { name: 'redis', run: () => redis.quit() },
    ],
  };
}
