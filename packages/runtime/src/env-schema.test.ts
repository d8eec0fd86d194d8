// Pure validation tests of the shared env building blocks: nothing real or mocked is involved.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BoolEnv,
  EnvError,
  IntegerEnv,
  LogLevelEnv,
  NodeEnvEnv,
  PortEnv,
  RedisPrefixEnv,
  RedisUrlEnv,
  UrlEnv,
  envProblems,
  formatEnvError,
  validateEnv,
} from './env-schema';

const Example = z.object({
  NODE_ENV: NodeEnvEnv.default('development'),
  LOG_LEVEL: LogLevelEnv.default('info'),
  PORT: PortEnv.default(4000),
  RETRIES: IntegerEnv(1, 5).default(3),
  VERBOSE: BoolEnv.default(false),
  DATABASE_URL: UrlEnv(['postgresql', 'postgres']).optional(),
  REDIS_URL: RedisUrlEnv.default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: RedisPrefixEnv.default('fs'),
});

describe('env building blocks', () => {
  it('reads booleans as true/false, 1/0 or yes/no in any case', () => {
    for (const yes of ['true', 'TRUE', '1', 'Yes', ' yes ']) expect(BoolEnv.parse(yes)).toBe(true);
    for (const no of ['false', 'False', '0', 'NO']) expect(BoolEnv.parse(no)).toBe(false);
    expect(envProblems(Example, { VERBOSE: 'maybe' })).toEqual([
      'VERBOSE must be true or false (got "maybe")',
    ]);
  });

  it('coerces whole numbers within bounds and ports up to 65535', () => {
    expect(validateEnv(Example, { PORT: '8080', RETRIES: '5' }, 'example')).toMatchObject({
      PORT: 8080,
      RETRIES: 5,
    });
    expect(envProblems(Example, { PORT: 'abc' })).toEqual(['PORT must be a number (got "abc")']);
    expect(envProblems(Example, { PORT: '70000' })).toEqual([
      'PORT must be at most 65535 (got "70000")',
    ]);
    expect(envProblems(Example, { RETRIES: '0' })).toEqual([
      'RETRIES must be at least 1 (got "0")',
    ]);
    expect(envProblems(Example, { RETRIES: '2.5' })).toEqual([
      'RETRIES must be a whole number (got "2.5")',
    ]);
  });

  it('never repeats a secret: password-like variables and passwords inside URLs', () => {
    const Secrets = z.object({
      DEMO_PASSWORD: z.string().min(8),
      REDIS_URL: RedisUrlEnv,
    });
    expect(
      envProblems(Secrets, { DEMO_PASSWORD: 'short', REDIS_URL: 'http://user:hunter2@cache:6379' }),
    ).toEqual([
      expect.stringMatching(/^DEMO_PASSWORD .* \(value not shown\)$/),
      expect.stringMatching(/^REDIS_URL .*\(got "http:\/\/user:\*\*\*@cache:6379\/?"\)$/),
    ]);
  });

  it('rejects URLs with the wrong scheme and prefixes that break Redis key names', () => {
    expect(
      envProblems(Example, {
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'http://x',
        REDIS_PREFIX: 'a:b',
      }),
    ).toEqual([
      'DATABASE_URL must be a URL starting with postgresql:// or postgres:// (got "mysql://x")',
      'REDIS_URL must be a URL starting with redis:// or rediss:// (got "http://x")',
      'REDIS_PREFIX must be letters, digits, "-" or "_" (no ":") (got "a:b")',
    ]);
    expect(envProblems(Example, { REDIS_URL: 'not a url' })).toEqual([
      'REDIS_URL must be a URL starting with redis:// or rediss:// (got "not a url")',
    ]);
    expect(envProblems(Example, { REDIS_URL: 'rediss://cache.test:6380' })).toEqual([]);
  });

  it('names the allowed values of an enumeration', () => {
    expect(envProblems(Example, { NODE_ENV: 'staging' })).toEqual([
      'NODE_ENV must be one of development, production, test (got "staging")',
    ]);
  });

  it('treats empty values as unset, so defaults apply', () => {
    expect(validateEnv(Example, { PORT: '', REDIS_PREFIX: ' ' }, 'example')).toMatchObject({
      PORT: 4000,
      REDIS_PREFIX: 'fs',
    });
  });

  it('formats an issue without a value or a variable name', () => {
    const Pair = z
      .object({ A: z.string().optional() })
      .refine((env) => env.A !== undefined, { message: 'A or B must be set', path: [] });
    const result = Pair.safeParse({});
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(formatEnvError(result.error, {})).toEqual(['environment A or B must be set']);
    }
  });

  it('lists every problem in one EnvError, under the subject', () => {
    let thrown: unknown;
    try {
      validateEnv(Example, { PORT: 'x', LOG_LEVEL: 'loud' }, 'example configuration');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EnvError);
    expect((thrown as EnvError).problems).toHaveLength(2);
    expect((thrown as EnvError).message).toBe(
      'Invalid example configuration:\n' +
        '  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace (got "loud")\n' +
        '  - PORT must be a number (got "x")',
    );
  });
});
