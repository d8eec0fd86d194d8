// The db:seed command line: what it accepts, and the one sentence for what it does not.
import { describe, expect, it } from 'vitest';
import { parseSeedArgs } from '../src/seed/seed-args';

const env = { databaseUrl: 'postgresql://postgres@127.0.0.1:5432/from-env', inherited: {} };

describe('parseSeedArgs', () => {
  it('takes the attempts, 90 days by default and DATABASE_URL unless --database-url', () => {
    expect(parseSeedArgs(['--', '--attempts', '3000'], env)).toEqual({
      attempts: 3000,
      days: 90,
      databaseUrl: env.databaseUrl,
    });
    expect(
      parseSeedArgs(['--attempts', '10', '--days', '7', '--database-url', 'postgresql://x/y'], env),
    ).toEqual({ attempts: 10, days: 7, databaseUrl: 'postgresql://x/y' });
  });

  it('refuses a missing, fractional or out-of-range count and unknown arguments', () => {
    expect(() => parseSeedArgs([], env)).toThrow('--attempts is required');
    expect(() => parseSeedArgs(['--attempts', '1.5'], env)).toThrow(
      '--attempts must be a whole number from 1 to 100,000,000',
    );
    expect(() => parseSeedArgs(['--attempts', '10', '--days', '0'], env)).toThrow(
      '--days must be a whole number from 1 to 400',
    );
    expect(() => parseSeedArgs(['--attempts'], env)).toThrow('--attempts needs a value');
    expect(() => parseSeedArgs(['--attempts', '10', '--force'], env)).toThrow(
      'unknown argument "--force"',
    );
  });
});
