import { z } from 'zod';
import { StationStatus } from './stations';

export const DependencyHealth = z.object({
  ok: z.boolean(),
  /** One sentence naming what failed, present only when `ok` is false. */
  error: z.string().optional(),
});
export type DependencyHealth = z.infer<typeof DependencyHealth>;

/** `GET /api/health`: 200 with status `ok` when Postgres and Redis answer, else 503 `degraded`. */
export const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  postgres: DependencyHealth,
  redis: DependencyHealth,
  stations: z.array(StationStatus),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
