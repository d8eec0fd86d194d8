// Building blocks for an app's env.ts: zod schemas for environment strings whose messages finish
// the sentence "<VARIABLE> …", and validation that names every bad variable. Each app's env.ts
// passes its environment in as a plain object; nothing here reads the process's own.
import { z } from 'zod';
import { StartupError } from './startup-error';

/** Environment booleans: true/false, 1/0, yes/no (any case). */
export const BoolEnv = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }))
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A whole number within [min, max], from its decimal string. */
export const IntegerEnv = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** A TCP port; 0 lets the system pick one. */
export const PortEnv = IntegerEnv(0, 65535);

/** A URL whose scheme is one of `schemes` (without "://"). */
export const UrlEnv = (schemes: readonly string[]) =>
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

export const OneOfEnv = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

export const NodeEnvEnv = OneOfEnv(['development', 'production', 'test']);

export const LogLevelEnv = OneOfEnv(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);

export const RedisUrlEnv = UrlEnv(['redis', 'rediss']);

/** Goes in front of every Redis key and queue name, so it may not contain the ":" separator. */
export const RedisPrefixEnv = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, "-" or "_" (no ":")');

/** Every problem of a configuration, one line each, under "Invalid <subject>:". */
export class EnvError extends StartupError {
  constructor(
    readonly subject: string,
    readonly problems: string[],
  ) {
    super(`Invalid ${subject}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EnvError';
  }
}

/** Empty values count as unset (compose files often write `FOO=`). */
function definedValues(source: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== '',
    ),
  );
}

/**
 * One sentence per problem: the variable, what is wrong and the value it had, e.g.
 * `SERVER_PORT must be a number (got "abc")`.
 */
/** A URL's password replaced by `***` (a DATABASE_URL or REDIS_URL may carry one). */
function withoutPassword(value: string): string {
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}

/** Variables whose values an error message must never repeat (they end up in logs). */
const SECRET_NAME = /PASSWORD|PEPPER|SECRET|TOKEN|KEY|CREDENTIAL/i;

export function formatEnvError(error: z.ZodError, values: Record<string, string>): string[] {
  return error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    const got = values[name];
    const shown =
      got === undefined
        ? ''
        : SECRET_NAME.test(name)
          ? ' (value not shown)'
          : ` (got "${withoutPassword(got)}")`;
    return `${name} ${issue.message}${shown}`;
  });
}

/** The problems `validateEnv` would report; empty when the variables are valid. */
export function envProblems(
  schema: z.ZodType,
  source: Record<string, string | undefined>,
): string[] {
  const values = definedValues(source);
  const result = schema.safeParse(values);
  return result.success ? [] : formatEnvError(result.error, values);
}

/** Validates a variable map against an app's schema, or throws an EnvError listing every problem. */
export function validateEnv<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined>,
  subject: string,
): z.output<S> {
  const values = definedValues(source);
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  throw new EnvError(subject, formatEnvError(result.error, values));
}
