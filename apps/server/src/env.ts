// The server's whole configuration: validated environment variables, nothing else (rule 7).
import {
  BoolEnv,
  IntegerEnv,
  LogLevelEnv,
  NodeEnvEnv,
  PortEnv,
  RedisPrefixEnv,
  RedisUrlEnv,
  UrlEnv,
  validateEnv,
} from '@station/runtime';
import { LabelFormatList, type LabelFormat } from '@station/contracts';
import { z } from 'zod';
import { DEFAULT_SHIFTS, parseShifts } from './analytics/shifts';

const Origins = z
  .string()
  .transform((value) => value.split(',').map((origin) => origin.trim()))
  .pipe(z.array(UrlEnv(['http', 'https'])).min(1));

/** LABEL_FORMATS: a JSON array of label formats; one sentence names what is wrong. */
const LabelFormatsEnv = z.string().transform((value, ctx): LabelFormat[] => {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: 'must be JSON: an array of {"name", "pattern"} label formats',
    });
    return z.NEVER;
  }
  const parsed = LabelFormatList.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const [index, field] = issue.path;
  const where =
    typeof index === 'number'
      ? `format ${index + 1}${field === undefined ? '' : `'s ${String(field)}`} `
      : '';
  ctx.addIssue({
    code: 'custom',
    message: `is not a valid list of label formats: ${where}${issue.message}`,
  });
  return z.NEVER;
});

/** A share from 0 to 1 (0.95 is 95 %). */
const RatioEnv = z.coerce
  .number({ error: 'must be a number' })
  .min(0, 'must be at least 0 (a share: 0.95 is 95 %)')
  .max(1, 'must be at most 1 (a share: 0.95 is 95 %)');

/** LINE_TIME_ZONE: an IANA zone name the runtime knows. */
const TimeZoneEnv = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Berlin or UTC' },
);

/** SHIFTS: `HH:MM-HH:MM,…` covering the day once; one sentence names what is wrong. */
const ShiftsEnv = z.string().transform((value, ctx) => {
  const shifts = parseShifts(value);
  if (typeof shifts !== 'string') return shifts;
  ctx.addIssue({ code: 'custom', message: `is not a list of shifts: ${shifts}` });
  return z.NEVER;
});

export const ServerEnv = z
  .object({
    NODE_ENV: NodeEnvEnv.default('development'),
    LOG_LEVEL: LogLevelEnv.default('info'),
    HOST: z.string().min(1).default('0.0.0.0'),
    SERVER_PORT: PortEnv.default(4000),
    DATABASE_URL: UrlEnv(['postgresql', 'postgres']).default(
      'postgresql://postgres@127.0.0.1:5432/flashstation',
    ),
    /**
     * Postgres connections this server holds at most. A burst of scans (128 slots at once) waits
     * on round trips, not CPU: node-postgres' 10 queued them; keep it under Postgres'
     * max_connections divided among every server instance and tool.
     */
    DATABASE_POOL_SIZE: IntegerEnv(2, 200).default(20),
    REDIS_URL: RedisUrlEnv.default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: RedisPrefixEnv.default('fs'),
    DASHBOARD_ORIGIN: Origins.default(['http://localhost:3000']),
    DOCS_ENABLED: BoolEnv.default(true),
    /** How often the server checks station heartbeat keys. */
    STATION_POLL_MS: IntegerEnv(100, 60_000).default(1000),
    /** How often open attempts are checked against stations and queues (design §9). */
    RECONCILE_MS: IntegerEnv(100, 60_000).default(2000),
    /**
     * How often the credential table is re-read and every station's Redis ACL user re-applied:
     * how long a station created on another instance, or a Redis that restarted empty, waits.
     */
    STATION_KEYS_REFRESH_MS: IntegerEnv(100, 60_000).default(5000),
    /**
     * How long a station may be gone (or an attempt held by nobody) before its open attempts are
     * settled as interrupted: beyond a heartbeat TTL plus a restart, short of blocking a slot.
     */
    ATTEMPT_LOST_GRACE_MS: IntegerEnv(1000, 600_000).default(10_000),
    /** How long a sign-in lasts (a shift by default); sessions live in Postgres. */
    SESSION_TTL_MS: IntegerEnv(60_000, 30 * 24 * 3_600_000).default(12 * 3_600_000),
    /**
     * When set, the first start also creates the demo users operator (badge 0001), supervisor,
     * engineer and admin with this password (`npm start` sets one for the emulated line).
     */
    // Secrets take any value: a failed check would print the value (formatEnvError shows it).
    DEMO_PASSWORD: z.string().optional(),
    /**
     * Secret key of the badge lookup (HMAC-SHA256). Unset: one is generated once and kept in the
     * database's settings table; set it (32+ characters) to keep it out of the database
     * (docs/security.md).
     */
    AUTH_PEPPER: z.string().optional(),
    /**
     * The bearer token Prometheus scrapes `/metrics` with (docs/security.md "Metrics"); it opens
     * that route and nothing else. Unset: only signed-in supervisors and up (and their API keys).
     */
    METRICS_TOKEN: z
      .string()
      .min(24, { error: 'must be at least 24 characters (openssl rand -hex 24 makes one)' })
      .optional(),
    /** Sign-in attempts per minute per client address before 429 RATE_LIMITED. */
    SIGN_IN_RATE_LIMIT: IntegerEnv(1, 100_000).default(10),
    /** Open socket.io connections per client address; more are refused at the handshake. */
    SOCKET_MAX_CONNECTIONS_PER_IP: IntegerEnv(1, 100_000).default(20),
    /**
     * Events per second per socket (bursts of twice as many); over it an event is refused, and a
     * socket that keeps it up for 10 s is disconnected.
     */
    SOCKET_EVENTS_PER_SECOND: IntegerEnv(1, 100_000).default(20),
    /** Where uploaded firmware is kept, one file per sha256 (docs/architecture.md). */
    FIRMWARE_STORE_DIR: z.string().min(1).default('.run/firmware-store'),
    /** The largest firmware archive an upload may send; more is refused while it streams (413). */
    FIRMWARE_MAX_BYTES: IntegerEnv(1024, 1024 ** 3).default(64 * 1024 ** 2),
    /** What an archive may unpack to in all (zip and gzip bombs are refused at this size). */
    FIRMWARE_MAX_UNPACKED_BYTES: IntegerEnv(1024, 4 * 1024 ** 3).default(128 * 1024 ** 2),
    /**
     * Retries (docs/station.md "Retries"): how many power retries one chain may have (a handshake
     * timeout re-prompts power); 0: none.
     */
    RETRY_POWER_MAX: IntegerEnv(0, 10).default(2),
    /** The lowest baud a line error is retried at (921600: line errors are never retried). */
    RETRY_BAUD_FLOOR: z.coerce
      .number()
      .pipe(z.union([z.literal(115200), z.literal(460800), z.literal(921600)]))
      .default(115200),
    /** Attribution (docs/station.md): how many of a slot's latest attempts, retries included. */
    SUSPECT_WINDOW: IntegerEnv(1, 1000).default(10),
    /** Distinct modules with a jig or line failure (retried or final) in the window for suspect. */
    SUSPECT_MIN_FAILED_MODULES: IntegerEnv(1, 1000).default(3),
    /** Passes the station's other slots must have had with the same package meanwhile. */
    SUSPECT_MIN_NEIGHBOUR_PASSES: IntegerEnv(0, 1000).default(3),
    /**
     * Label formats of this site, tried before the built-in ones (docs/station.md "Scan
     * interlocks and labels"): `[{"name":"acme","pattern":"^ACME/(?<imei>\\d{15})$"}]`.
     */
    LABEL_FORMATS: LabelFormatsEnv.default([]),
    /**
     * The same label scanned again at the same station within this many ms is a double scan,
     * refused (DOUBLE_SCAN) instead of being sent to the next slot.
     */
    DOUBLE_SCAN_WINDOW_MS: IntegerEnv(100, 60_000).default(3000),
    /** The line's clock (docs/analytics.md): yield by hour, day and shift is in this zone. */
    LINE_TIME_ZONE: TimeZoneEnv.default('UTC'),
    /** The line's shifts in LINE_TIME_ZONE, covering the day once (docs/analytics.md). */
    SHIFTS: ShiftsEnv.prefault(DEFAULT_SHIFTS),
    /** Units passed per hour the line aims for: the yield page shows the shift against it. */
    UNITS_PER_HOUR_TARGET: IntegerEnv(1, 100_000).default(60),
    /** Alerts (docs/operations.md "Alerts"): how often the server evaluates them. */
    ALERT_EVALUATE_MS: IntegerEnv(100, 600_000).default(15_000),
    /** How long one evaluation may read before the alerts' state is unknown. */
    ALERT_EVALUATE_DEADLINE_MS: IntegerEnv(100, 60_000).default(5000),
    /** The window yield and retest rate are judged over (the last hour). */
    ALERT_WINDOW_MS: IntegerEnv(60_000, 86_400_000).default(3_600_000),
    /** First-pass yield (0–1) below which a station's yield alert fires. */
    ALERT_YIELD_TARGET: RatioEnv.default(0.95),
    /** Units a station must have finished in the window before yield or retest rate count. */
    ALERT_MIN_UNITS: IntegerEnv(1, 100_000).default(20),
    /** Extra attempts per unit above which the retest alert fires. */
    ALERT_RETEST_RATE_MAX: z.coerce
      .number({ error: 'must be a number' })
      .min(0, 'must be at least 0')
      .max(100, 'must be at most 100')
      .default(0.2),
    /** A slot with no finished attempt this long is silent (when its neighbours work). */
    ALERT_SILENT_MS: IntegerEnv(1000, 86_400_000).default(600_000),
    /** Units the station's other slots must finish in ALERT_SILENT_MS for a slot to be silent. */
    ALERT_SILENT_NEIGHBOUR_UNITS: IntegerEnv(1, 100_000).default(5),
    /** Results a station's journal holds unconfirmed before the results-waiting alert fires. */
    ALERT_RESULTS_WAITING_MIN: IntegerEnv(1, 100_000).default(1),
    /** How long a station must be offline, or results wait, before that alert fires. */
    ALERT_HOLD_MS: IntegerEnv(0, 3_600_000).default(120_000),
    /** Hard deadline for an ordered shutdown before the process exits anyway. */
    SHUTDOWN_TIMEOUT_MS: IntegerEnv(1000, 120_000).default(10_000),
  })
  .superRefine((env, ctx) => {
    if (env.SUSPECT_MIN_FAILED_MODULES > env.SUSPECT_WINDOW) {
      ctx.addIssue({
        code: 'custom',
        path: ['SUSPECT_MIN_FAILED_MODULES'],
        message: `must be at most SUSPECT_WINDOW (${env.SUSPECT_WINDOW}): no slot could ever be suspect`,
      });
    }
    if (env.NODE_ENV === 'production' && env.DASHBOARD_ORIGIN.some((o) => o.includes('*'))) {
      ctx.addIssue({
        code: 'custom',
        path: ['DASHBOARD_ORIGIN'],
        message: 'must name exact origins in production (no wildcard)',
      });
    }
  });
export type ServerEnv = z.infer<typeof ServerEnv>;

/** Validates a variable map; empty values count as unset (compose files often write `FOO=`). */
export const parseEnv = (source: Record<string, string | undefined>): ServerEnv =>
  validateEnv(ServerEnv, source, 'server configuration');

/** The app's configuration. Import this module dynamically from the entry so a bad value is
 * reported as a message rather than a stack trace. */
export const env: ServerEnv = parseEnv(process.env);
