// `npm run db:seed -- --attempts N [--days 90] [--database-url URL]`: the command line, checked.
import { cliEnv } from '../cli/env';

export interface SeedArgs {
  attempts: number;
  days: number;
  databaseUrl: string;
}

export const SEED_USAGE =
  'usage: npm run db:seed -- --attempts N [--days 90] [--database-url postgresql://…]';

const MAX_ATTEMPTS = 100_000_000;

/** Parses the arguments; throws an Error whose message says what is wrong. */
export function parseSeedArgs(argv: readonly string[], env = cliEnv): SeedArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i]!;
    if (name === '--') continue;
    if (!['--attempts', '--days', '--database-url'].includes(name)) {
      throw new Error(`unknown argument "${name}"`);
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
    values.set(name, value);
    i += 1;
  }
  const integer = (name: string, fallback: number | undefined, max: number) => {
    const text = values.get(name);
    if (text === undefined) {
      if (fallback === undefined) throw new Error(`${name} is required`);
      return fallback;
    }
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new Error(`${name} must be a whole number from 1 to ${max.toLocaleString('en')}`);
    }
    return n;
  };
  return {
    attempts: integer('--attempts', undefined, MAX_ATTEMPTS),
    days: integer('--days', 90, 400),
    databaseUrl: values.get('--database-url') ?? env.databaseUrl,
  };
}
