// `seedDatabase`: fills an empty, migrated database with a synthetic line history, one day per
// transaction, printing progress. Refuses a database that already holds attempts: a synthetic
// history never mixes with a real one.
import pg from 'pg';
import { parseDatabaseUrl, redactUrl } from '../connection-url';
import { connect, ensureDatabase } from '../ensure-database';
import { seedDay } from './seed-attempts';
import { finishLine } from './seed-finish';
import {
  HOUR_WEIGHTS,
  attemptsPerDay,
  lookupTable,
  paretoWeights,
  type SeedCatalogue,
} from './seed-plan';
import { seedReference, stationCode } from './seed-reference';

export interface SeedOptions {
  databaseUrl: string;
  attempts: number;
  days: number;
  catalogue: SeedCatalogue;
  /** The window ends at this midnight (UTC); defaults to the last one. */
  until?: Date;
  log?: (line: string) => void;
}

export interface SeedReport {
  from: Date;
  to: Date;
  attempts: number;
  modules: number;
  seconds: number;
}

export class SeedRefusedError extends Error {
  readonly code = 'SEED_REFUSED';
}

/** Slightly more units than attempts/ratio, so the day's cap (not luck) decides its count. */
const ATTEMPTS_PER_UNIT = 1.03;

async function refuseUnlessEmpty(client: pg.Client, url: string): Promise<void> {
  const { rows } = await client.query<{ attempts: string; stations: string }>(
    `SELECT (SELECT count(*) FROM (SELECT 1 FROM flash_attempts LIMIT 1) x) AS attempts,
            (SELECT count(*) FROM stations WHERE code = $1) AS stations`,
    [stationCode(0)],
  );
  if (rows[0]!.attempts !== '0' || rows[0]!.stations !== '0') {
    throw new SeedRefusedError(
      `${redactUrl(url)} already holds flash attempts or a seeded line: seed only an empty database (set DATABASE_URL or --database-url to a new one)`,
    );
  }
}

/**
 * The seed writes every reference before the rows that use it (the test checks the history is
 * coherent), so a superuser skips the row-by-row foreign key triggers, a third of the load time.
 * Indexes, unique and CHECK constraints still apply. Anyone else gets them, slower.
 */
async function skipForeignKeyTriggers(client: pg.Client, log: (line: string) => void) {
  try {
    await client.query('SET session_replication_role = replica');
  } catch {
    log('not a superuser: foreign keys are checked row by row (slower)');
  }
}

export async function seedDatabase(options: SeedOptions): Promise<SeedReport> {
  const log = options.log ?? (() => {});
  const { catalogue, days } = options;
  await ensureDatabase(options.databaseUrl, { log });
  const client = new pg.Client(parseDatabaseUrl(options.databaseUrl));
  await connect(client, options.databaseUrl);
  const started = performance.now();
  try {
    await refuseUnlessEmpty(client, options.databaseUrl);
    // A lost seed is simply run again: no need to wait for each day's WAL flush.
    await client.query('SET synchronous_commit = off');
    // Compiling the day's query costs seconds and saves nothing at this size.
    await client.query('SET jit = off');
    await skipForeignKeyTriggers(client, log);
    // The same draws for the same arguments (ids and dates aside), so a figure can be re-checked.
    await client.query('SELECT setseed(0.42)');
    const until = options.until ?? new Date(new Date().setUTCHours(0, 0, 0, 0));
    const from = new Date(until.getTime() - days * 86_400_000);
    await client.query('BEGIN');
    await seedReference(client, catalogue, from, days);
    await client.query('COMMIT');

    const perDay = attemptsPerDay(options.attempts, from, days);
    const failureLookup = lookupTable(paretoWeights(catalogue.failures.length));
    const jigFailure = catalogue.failures.findIndex((f) => f.code === catalogue.jigFailureCode);
    let written = 0;
    let firstUnit = 0;
    for (const [day, attempts] of perDay.entries()) {
      const units = Math.ceil(attempts / ATTEMPTS_PER_UNIT) + 1;
      written += await seedDay(client, {
        dayStart: new Date(from.getTime() + day * 86_400_000),
        firstUnit,
        units,
        attempts,
        week: Math.floor(day / 7),
        hourLookup: lookupTable(HOUR_WEIGHTS),
        failureLookup,
        jigFailure,
        canceledFailure: catalogue.failures.length,
      });
      firstUnit += units;
      const seconds = (performance.now() - started) / 1000;
      log(
        `day ${day + 1}/${days}: ${written.toLocaleString('en')} attempts, ${Math.round(written / seconds).toLocaleString('en')} rows/s`,
      );
    }
    await finishLine(client, log);
    const { rows } = await client.query<{ modules: string }>(
      'SELECT count(*) AS modules FROM modules',
    );
    return {
      from,
      to: until,
      attempts: written,
      modules: Number(rows[0]!.modules),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await client.end().catch(() => {});
  }
}
