// The station agent's whole configuration: validated environment variables, nothing else (rule 7).
import { isAbsolute } from 'node:path';
import { StationId } from '@station/contracts';
import { z } from 'zod';

/** Environment booleans: true/false, 1/0, yes/no (any case). */
export const BoolEnv = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }))
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const Integer = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const OneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

const RedisUrl = z.string().refine(
  (value) => {
    try {
      return ['redis:', 'rediss:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  { message: 'must be a URL starting with redis:// or rediss://' },
);

export interface SerialPortEntry {
  slot: number;
  path: string;
}

/**
 * `SERIAL_PORTS=1=/dev/serial/by-path/...,2=/dev/serial/by-path/...`: slot number → device path.
 * Paths may contain ':' (by-path names do), so only the first '=' splits an entry.
 */
const SerialPorts = z.string().transform((value, ctx): SerialPortEntry[] => {
  const entries: SerialPortEntry[] = [];
  for (const raw of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const at = raw.indexOf('=');
    const slot = Number(raw.slice(0, at));
    const path = raw.slice(at + 1).trim();
    if (at < 1 || !Number.isInteger(slot) || slot < 1 || slot > 256) {
      ctx.addIssue({
        code: 'custom',
        message: `entry "${raw}" must look like <slot 1-256>=<path>`,
      });
    } else if (!isAbsolute(path)) {
      ctx.addIssue({ code: 'custom', message: `slot ${slot} path "${path}" must be absolute` });
    } else if (entries.some((e) => e.slot === slot)) {
      ctx.addIssue({ code: 'custom', message: `slot ${slot} is listed twice` });
    } else if (entries.some((e) => e.path === path)) {
      ctx.addIssue({ code: 'custom', message: `${path} is given to two slots` });
    } else {
      entries.push({ slot, path });
    }
  }
  return entries;
});

export const StationEnv = z
  .object({
    NODE_ENV: OneOf(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: OneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    STATION_ID: StationId.default('station-1'),
    REDIS_URL: RedisUrl.default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, "-" or "_" (no ":")')
      .default('fs'),
    /** true: run an emulated jig on pseudo-terminals instead of real adapters. */
    EMULATOR: BoolEnv.default(true),
    EMULATOR_SLOTS: Integer(1, 256).default(8),
    /** Where the emulated jig puts its slot links (`slot-01` …). */
    JIG_DIR: z.string().min(1).default('.run/jig'),
    /** Real slots; required when EMULATOR=false. */
    SERIAL_PORTS: SerialPorts.optional(),
    /** How real slots are powered: the operator by hand, or the adapter's DTR or RTS line. */
    SLOT_POWER: OneOf(['manual', 'dtr', 'rts']).default('manual'),
    HEARTBEAT_INTERVAL_MS: Integer(100, 60_000).default(1500),
    HEARTBEAT_TTL_MS: Integer(300, 300_000).default(5000),
    SHUTDOWN_TIMEOUT_MS: Integer(1000, 120_000).default(15_000),
  })
  .superRefine((env, ctx) => {
    if (!env.EMULATOR && (env.SERIAL_PORTS ?? []).length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['SERIAL_PORTS'],
        message:
          'is required when EMULATOR=false: list the jig slots as 1=/dev/serial/by-path/...,2=...',
      });
    }
    if (env.HEARTBEAT_TTL_MS < 2 * env.HEARTBEAT_INTERVAL_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['HEARTBEAT_TTL_MS'],
        message: `must be at least twice HEARTBEAT_INTERVAL_MS (${env.HEARTBEAT_INTERVAL_MS}), or one late refresh drops the station`,
      });
    }
  });
export type StationEnv = z.infer<typeof StationEnv>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid station configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EnvError';
  }
}

/** Validates a variable map; empty values count as unset (compose files often write `FOO=`). */
export function parseEnv(source: Record<string, string | undefined>): StationEnv {
  const defined = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const result = StationEnv.safeParse(defined);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const got = defined[name];
      return `${name} ${issue.message}${got === undefined ? '' : ` (got "${got}")`}`;
    }),
  );
}

/** The agent's configuration. Import this module dynamically from the entry so a bad value is
 * reported as a message rather than a stack trace. */
export const env: StationEnv = parseEnv(process.env);
