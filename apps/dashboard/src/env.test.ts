// Unit test of the dashboard's environment rules; nothing is mocked.
import { describe, expect, it } from 'vitest';
import { parseDashboardEnv } from './env';

describe('parseDashboardEnv', () => {
  it('defaults to a local server and port 3000', () => {
    expect(parseDashboardEnv({})).toEqual({
      SERVER_URL: 'http://localhost:4000',
      DASHBOARD_PORT: 3000,
    });
  });

  it('accepts a server URL and drops its trailing slash', () => {
    const env = parseDashboardEnv({
      SERVER_URL: 'https://line-3.factory.example:8443/',
      DASHBOARD_PORT: '8080',
    });
    expect(env.SERVER_URL).toBe('https://line-3.factory.example:8443');
    expect(env.DASHBOARD_PORT).toBe(8080);
  });

  it('names every bad variable in one error', () => {
    expect(() =>
      parseDashboardEnv({ SERVER_URL: 'ftp://server', DASHBOARD_PORT: '70000' }),
    ).toThrow(/SERVER_URL: must be an http\(s\) URL.*DASHBOARD_PORT: .*65535/);
  });

  it('rejects a port that is not a number', () => {
    expect(() => parseDashboardEnv({ DASHBOARD_PORT: 'three thousand' })).toThrow(/DASHBOARD_PORT/);
  });
});
