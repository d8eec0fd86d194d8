// Pure validation tests of the server's environment: nothing real or mocked is involved.
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

const problemsOf = (source: Record<string, string>): string[] => {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error('expected parseEnv to reject');
};

describe('server env', () => {
  it('has defaults that work on a dev machine', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      HOST: '0.0.0.0',
      SERVER_PORT: 4000,
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/flashstation',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'fs',
      DASHBOARD_ORIGIN: ['http://localhost:3000'],
      DOCS_ENABLED: true,
    });
  });

  it('coerces numbers, booleans and origin lists', () => {
    const env = parseEnv({
      SERVER_PORT: '8080',
      DOCS_ENABLED: 'No',
      DASHBOARD_ORIGIN: 'http://a.test:3000, https://b.test',
    });
    expect(env.SERVER_PORT).toBe(8080);
    expect(env.DOCS_ENABLED).toBe(false);
    expect(env.DASHBOARD_ORIGIN).toEqual(['http://a.test:3000', 'https://b.test']);
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ SERVER_PORT: '', REDIS_PREFIX: ' ' }).SERVER_PORT).toBe(4000);
  });

  it('names the variable, the problem and the value', () => {
    expect(problemsOf({ SERVER_PORT: 'abc' })).toEqual([
      'SERVER_PORT must be a number (got "abc")',
    ]);
    expect(problemsOf({ SERVER_PORT: '70000' })).toEqual([
      'SERVER_PORT must be at most 65535 (got "70000")',
    ]);
    expect(problemsOf({ DOCS_ENABLED: 'maybe' })).toEqual([
      'DOCS_ENABLED must be true or false (got "maybe")',
    ]);
  });

  it('rejects URLs with the wrong scheme and prefixes that break Redis key names', () => {
    expect(
      problemsOf({ DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x', REDIS_PREFIX: 'a:b' }),
    ).toEqual([
      'DATABASE_URL must be a URL starting with postgresql:// or postgres:// (got "mysql://x")',
      'REDIS_URL must be a URL starting with redis:// or rediss:// (got "http://x")',
      'REDIS_PREFIX must be letters, digits, "-" or "_" (no ":") (got "a:b")',
    ]);
  });

  it('forbids a wildcard dashboard origin in production only', () => {
    expect(parseEnv({ DASHBOARD_ORIGIN: 'http://*.test' }).DASHBOARD_ORIGIN).toHaveLength(1);
    expect(problemsOf({ NODE_ENV: 'production', DASHBOARD_ORIGIN: 'http://*.test' })[0]).toMatch(
      /^DASHBOARD_ORIGIN must name exact origins in production/,
    );
  });

  it('lists every problem in one message', () => {
    expect(() => parseEnv({ SERVER_PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(
      'Invalid server configuration:\n' +
        '  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace (got "loud")\n' +
        '  - SERVER_PORT must be a number (got "x")',
    );
  });
});
