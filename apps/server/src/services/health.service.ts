import type { DependencyHealth, HealthResponse, StationStatus } from '@station/contracts';

export interface HealthProbes {
  /** Resolves when Postgres answers; rejects with the reason otherwise. */
  postgres: () => Promise<unknown>;
  /** Resolves when Redis answers PING. */
  redis: () => Promise<unknown>;
  stations: () => StationStatus[];
}

const withTimeout = async (probe: () => Promise<unknown>, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([probe(), timeout]);
  } finally {
    clearTimeout(timer);
  }
};

const check = async (name: string, probe: () => Promise<unknown>, ms: number) => {
  try {
    await withTimeout(probe, ms);
    return { ok: true } satisfies DependencyHealth;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `${name} is unavailable: ${reason}` } satisfies DependencyHealth;
  }
};

/** Postgres and Redis are required; stations are reported but do not make the server unhealthy. */
export async function checkHealth(probes: HealthProbes, timeoutMs = 2000): Promise<HealthResponse> {
  const [postgres, redis] = await Promise.all([
    check('Postgres', probes.postgres, timeoutMs),
    check('Redis', probes.redis, timeoutMs),
  ]);
  return {
    status: postgres.ok && redis.ok ? 'ok' : 'degraded',
    postgres,
    redis,
    stations: probes.stations(),
  };
}
