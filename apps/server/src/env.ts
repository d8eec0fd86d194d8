// The server's whole configuration: validated environment variables, nothing else (rule 7).
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

const UrlWithScheme = (schemes: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}` },
  );

const OneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

const Origins = z
  .string()
  .transform((value) => value.split(',').map((origin) => origin.trim()))
  .pipe(z.array(UrlWithScheme(['http', 'https'])).min(1));

export const ServerEnv = z
  .object({
    NODE_ENV: OneOf(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: OneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    HOST: z.string().min(1).default('0.0.0.0'),
    SERVER_PORT: Integer(0, 65535).default(4000),
    DATABASE_URL: UrlWithScheme(['postgresql', 'postgres']).default(
      'postgresql://postgres@127.0.0.1:5432/flashstation',
    ),
    REDIS_URL: UrlWithScheme(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, "-" or "_" (no ":")')
      .default('fs'),
    DASHBOARD_ORIGIN: Origins.default(['http://localhost:3000']),
    DOCS_ENABLED: BoolEnv.default(true),
    /** How often the server checks station heartbeat keys. */
    STATION_POLL_MS: Integer(100, 60_000).default(1000),
    /** Hard deadline for an ordered shutdown before the process exits anyway. */
    SHUTDOWN_TIMEOUT_MS: Integer(1000, 120_000).default(10_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.DASHBOARD_ORIGIN.some((o) => o.includes('*'))) {
      ctx.addIssue({
        code: 'custom',
        path: ['DASHBOARD_ORIGIN'],
        message: 'must name exact origins in production (no wildcard)',
      });
    }
  });
export type ServerEnv = z.infer<typeof ServerEnv>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid server configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EnvError';
  }
}

/** Validates a variable map; empty values count as unset (compose files often write `FOO=`). */
export function parseEnv(source: Record<string, string | undefined>): ServerEnv {
  const defined = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const result = ServerEnv.safeParse(defined);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const got = defined[name];
      return `${name} ${issue.message}${got === undefined ? '' : ` (got "${got}")`}`;
    }),
  );
}

/** The app's configuration. Import this module dynamically from the entry so a bad value is
 * reported as a message rather than a stack trace. */
export const env: ServerEnv = parseEnv(process.env);
