// Pure validation tests of the server's own variables; the shared rules (booleans, numbers, URL
// schemes, empty values, message format) are tested in packages/runtime. Nothing real or mocked.
import { envProblems } from '@station/runtime';
import { describe, expect, it } from 'vitest';
import { ServerEnv, parseEnv } from './env';

const problemsOf = (source: Record<string, string>) => envProblems(ServerEnv, source);

describe('server env', () => {
  it('has defaults that work on a dev machine', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      HOST: '0.0.0.0',
      SERVER_PORT: 4000,
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/flashstation',
      DATABASE_POOL_SIZE: 20,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'fs',
      DASHBOARD_ORIGIN: ['http://localhost:3000'],
      DOCS_ENABLED: true,
      SHUTDOWN_TIMEOUT_MS: 10_000,
      SESSION_TTL_MS: 12 * 3_600_000,
      SIGN_IN_RATE_LIMIT: 10,
      FIRMWARE_STORE_DIR: '.run/firmware-store',
      FIRMWARE_MAX_BYTES: 64 * 1024 * 1024,
      FIRMWARE_MAX_UNPACKED_BYTES: 128 * 1024 * 1024,
    });
    expect(env.DEMO_PASSWORD).toBeUndefined();
    expect(env.AUTH_PEPPER).toBeUndefined();
  });

  it('takes a METRICS_TOKEN of 24 characters or more, never repeating a short one', () => {
    expect(parseEnv({}).METRICS_TOKEN).toBeUndefined();
    const token = 'a'.repeat(24);
    expect(parseEnv({ METRICS_TOKEN: token }).METRICS_TOKEN).toBe(token);
    expect(problemsOf({ METRICS_TOKEN: 'short' })).toEqual([
      'METRICS_TOKEN must be at least 24 characters (openssl rand -hex 24 makes one) (value not shown)',
    ]);
  });

  it('bounds the Postgres pool size', () => {
    expect(parseEnv({ DATABASE_POOL_SIZE: '40' }).DATABASE_POOL_SIZE).toBe(40);
    expect(problemsOf({ DATABASE_POOL_SIZE: '1' })).toEqual([
      'DATABASE_POOL_SIZE must be at least 2 (got "1")',
    ]);
    expect(problemsOf({ DATABASE_POOL_SIZE: '201' })).toEqual([
      'DATABASE_POOL_SIZE must be at most 200 (got "201")',
    ]);
    expect(problemsOf({ DATABASE_POOL_SIZE: 'many' })).toHaveLength(1);
  });

  it('bounds the session lifetime and takes secrets as given', () => {
    expect(parseEnv({ SESSION_TTL_MS: '3600000' }).SESSION_TTL_MS).toBe(3_600_000);
    expect(problemsOf({ SESSION_TTL_MS: '10' })).toEqual([
      'SESSION_TTL_MS must be at least 60000 (got "10")',
    ]);
    expect(parseEnv({ DEMO_PASSWORD: 'pw', AUTH_PEPPER: 'p' })).toMatchObject({
      DEMO_PASSWORD: 'pw',
      AUTH_PEPPER: 'p',
    });
  });

  it('has the retry and attribution thresholds of docs/station.md, and checks them', () => {
    expect(parseEnv({})).toMatchObject({
      RETRY_POWER_MAX: 2,
      RETRY_BAUD_FLOOR: 115200,
      SUSPECT_WINDOW: 10,
      SUSPECT_MIN_FAILED_MODULES: 3,
      SUSPECT_MIN_NEIGHBOUR_PASSES: 3,
    });
    expect(parseEnv({ RETRY_BAUD_FLOOR: '460800' }).RETRY_BAUD_FLOOR).toBe(460800);
    expect(problemsOf({ RETRY_BAUD_FLOOR: '230400' })).toHaveLength(1);
    expect(problemsOf({ RETRY_BAUD_FLOOR: '230400' })[0]).toMatch(/^RETRY_BAUD_FLOOR /);
    expect(problemsOf({ SUSPECT_WINDOW: '4', SUSPECT_MIN_FAILED_MODULES: '5' })).toEqual([
      'SUSPECT_MIN_FAILED_MODULES must be at most SUSPECT_WINDOW (4): no slot could ever be suspect (got "5")',
    ]);
  });

  it('bounds the firmware upload limits', () => {
    expect(parseEnv({ FIRMWARE_MAX_BYTES: '1048576' }).FIRMWARE_MAX_BYTES).toBe(1_048_576);
    expect(problemsOf({ FIRMWARE_MAX_BYTES: '10', FIRMWARE_MAX_UNPACKED_BYTES: '1e12' })).toEqual([
      'FIRMWARE_MAX_BYTES must be at least 1024 (got "10")',
      'FIRMWARE_MAX_UNPACKED_BYTES must be at most 4294967296 (got "1e12")',
    ]);
  });

  it('coerces the port, the docs switch and origin lists', () => {
    const env = parseEnv({
      SERVER_PORT: '8080',
      DOCS_ENABLED: 'No',
      DASHBOARD_ORIGIN: 'http://a.test:3000, https://b.test',
    });
    expect(env.SERVER_PORT).toBe(8080);
    expect(env.DOCS_ENABLED).toBe(false);
    expect(env.DASHBOARD_ORIGIN).toEqual(['http://a.test:3000', 'https://b.test']);
  });

  it('wants a Postgres database URL and http(s) dashboard origins', () => {
    expect(
      problemsOf({ DATABASE_URL: 'mysql://x', DASHBOARD_ORIGIN: 'http://a.test,ftp://b' }),
    ).toEqual([
      'DATABASE_URL must be a URL starting with postgresql:// or postgres:// (got "mysql://x")',
      'DASHBOARD_ORIGIN must be a URL starting with http:// or https:// (got "http://a.test,ftp://b")',
    ]);
  });

  it('forbids a wildcard dashboard origin in production only', () => {
    expect(parseEnv({ DASHBOARD_ORIGIN: 'http://*.test' }).DASHBOARD_ORIGIN).toHaveLength(1);
    expect(problemsOf({ NODE_ENV: 'production', DASHBOARD_ORIGIN: 'http://*.test' })[0]).toMatch(
      /^DASHBOARD_ORIGIN must name exact origins in production/,
    );
  });

  it('keeps the poll interval and shutdown deadline within sane bounds', () => {
    expect(problemsOf({ STATION_POLL_MS: '10', SHUTDOWN_TIMEOUT_MS: '500000' })).toEqual([
      'STATION_POLL_MS must be at least 100 (got "10")',
      'SHUTDOWN_TIMEOUT_MS must be at most 120000 (got "500000")',
    ]);
  });

  it('reads LABEL_FORMATS as JSON label formats, refusing a bad one in one sentence', () => {
    expect(parseEnv({}).LABEL_FORMATS).toEqual([]);
    const acme = { name: 'acme', pattern: '^ACME/(?<imei>\\d{15})$' };
    expect(parseEnv({ LABEL_FORMATS: JSON.stringify([acme]) }).LABEL_FORMATS).toEqual([
      { ...acme, flags: '' },
    ]);
    const shown = (value: string) => ` (got "${value}")`;
    expect(problemsOf({ LABEL_FORMATS: '[{name:1}]' })).toEqual([
      `LABEL_FORMATS must be JSON: an array of {"name", "pattern"} label formats${shown('[{name:1}]')}`,
    ]);
    const noImei = JSON.stringify([acme, { name: 'tray', pattern: '^T(?<sn>\\d+)$' }]);
    expect(problemsOf({ LABEL_FORMATS: noImei })).toEqual([
      `LABEL_FORMATS is not a valid list of label formats: format 2's pattern has no (?<imei>…) group${shown(noImei)}`,
    ]);
    const notList = JSON.stringify(acme);
    expect(problemsOf({ LABEL_FORMATS: notList })[0]).toMatch(
      /^LABEL_FORMATS is not a valid list of label formats: .*array/,
    );
  });

  it('reads the line time zone and shifts, refusing bad ones in one sentence', () => {
    const env = parseEnv({});
    expect(env.LINE_TIME_ZONE).toBe('UTC');
    expect(env.SHIFTS.map((s) => [s.label, s.startMinute, s.endMinute])).toEqual([
      ['06:00-14:00', 360, 840],
      ['14:00-22:00', 840, 1320],
      ['22:00-06:00', 1320, 360],
    ]);
    expect(parseEnv({ LINE_TIME_ZONE: 'Europe/Berlin' }).LINE_TIME_ZONE).toBe('Europe/Berlin');
    expect(parseEnv({ SHIFTS: '07:30-19:30, 19:30-07:30' }).SHIFTS).toHaveLength(2);
    expect(problemsOf({ LINE_TIME_ZONE: 'Mars/Olympus' })).toEqual([
      'LINE_TIME_ZONE must be an IANA time zone such as Europe/Berlin or UTC (got "Mars/Olympus")',
    ]);
    const problem = (value: string) => problemsOf({ SHIFTS: value })[0];
    expect(problem('6-14')).toBe(
      'SHIFTS is not a list of shifts: "6-14" is not a shift like 06:00-14:00 (HH:MM-HH:MM, 24-hour clock) (got "6-14")',
    );
    expect(problem('06:00-14:00,13:00-06:00')).toMatch(
      /^SHIFTS is not a list of shifts: shifts overlap at 13:00 /,
    );
    expect(problem('06:00-14:00,14:00-22:00')).toMatch(
      /^SHIFTS is not a list of shifts: no shift covers 22:00: the shifts must cover the whole day /,
    );
    expect(problem('06:00-06:00')).toMatch(/starts and ends at the same time/);
  });

  it('reads the units-per-hour target of the yield page (default 60), a whole number from 1', () => {
    expect(parseEnv({}).UNITS_PER_HOUR_TARGET).toBe(60);
    expect(parseEnv({ UNITS_PER_HOUR_TARGET: '240' }).UNITS_PER_HOUR_TARGET).toBe(240);
    expect(problemsOf({ UNITS_PER_HOUR_TARGET: '0' })).toEqual([
      'UNITS_PER_HOUR_TARGET must be at least 1 (got "0")',
    ]);
    expect(problemsOf({ UNITS_PER_HOUR_TARGET: 'many' })).toHaveLength(1);
  });

  it('bounds the double-scan window (default 3 s)', () => {
    expect(parseEnv({}).DOUBLE_SCAN_WINDOW_MS).toBe(3000);
    expect(parseEnv({ DOUBLE_SCAN_WINDOW_MS: '1500' }).DOUBLE_SCAN_WINDOW_MS).toBe(1500);
    expect(problemsOf({ DOUBLE_SCAN_WINDOW_MS: '10' })).toEqual([
      'DOUBLE_SCAN_WINDOW_MS must be at least 100 (got "10")',
    ]);
  });

  it('has the alert thresholds of docs/operations.md "Alerts", and checks them', () => {
    expect(parseEnv({})).toMatchObject({
      ALERT_EVALUATE_MS: 15_000,
      ALERT_EVALUATE_DEADLINE_MS: 5000,
      ALERT_WINDOW_MS: 3_600_000,
      ALERT_YIELD_TARGET: 0.95,
      ALERT_MIN_UNITS: 20,
      ALERT_RETEST_RATE_MAX: 0.2,
      ALERT_SILENT_MS: 600_000,
      ALERT_SILENT_NEIGHBOUR_UNITS: 5,
      ALERT_RESULTS_WAITING_MIN: 1,
      ALERT_HOLD_MS: 120_000,
    });
    expect(parseEnv({ ALERT_YIELD_TARGET: '0.9' }).ALERT_YIELD_TARGET).toBe(0.9);
    expect(problemsOf({ ALERT_YIELD_TARGET: '95' })).toEqual([
      'ALERT_YIELD_TARGET must be at most 1 (a share: 0.95 is 95 %) (got "95")',
    ]);
    expect(problemsOf({ ALERT_RETEST_RATE_MAX: '-1' })).toEqual([
      'ALERT_RETEST_RATE_MAX must be at least 0 (got "-1")',
    ]);
    expect(problemsOf({ ALERT_WINDOW_MS: '1000' })).toEqual([
      'ALERT_WINDOW_MS must be at least 60000 (got "1000")',
    ]);
    expect(problemsOf({ ALERT_EVALUATE_MS: '10' })).toHaveLength(1);
  });

  it('reports every problem as invalid server configuration', () => {
    expect(() => parseEnv({ SERVER_PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(
      'Invalid server configuration:\n' +
        '  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace (got "loud")\n' +
        '  - SERVER_PORT must be a number (got "x")',
    );
  });
});
