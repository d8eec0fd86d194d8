// `npm run db:seed -- --attempts N [--days 90] [--database-url URL]`: fills the database named by
// DATABASE_URL (or --database-url; created and migrated if missing) with a synthetic line history
// drawn from the station's error catalogue (docs/benchmarks.md "Seeding"). Refuses a database
// that already holds attempts.
import { redactUrl } from '@station/db';
import { parseSeedArgs, SEED_USAGE, seedDatabase, SeedRefusedError } from '@station/db/seed';
import { seedCatalogue } from './seed-catalogue';

function fail(message: string): never {
  console.error(`[db:seed] ${message}`);
  process.exit(1);
}

let args;
try {
  args = parseSeedArgs(process.argv.slice(2));
} catch (error) {
  fail(`${(error as Error).message}\n${SEED_USAGE}`);
}
console.log(
  `[db:seed] ${args.attempts.toLocaleString('en')} attempts over ${args.days} days into ${redactUrl(args.databaseUrl)}`,
);
try {
  const report = await seedDatabase({
    ...args,
    catalogue: seedCatalogue(),
    log: (line) => console.log(`[db:seed] ${line}`),
  });
  console.log(
    `[db:seed] done: ${report.attempts.toLocaleString('en')} attempts of ${report.modules.toLocaleString('en')} modules, ${report.from.toISOString()} to ${report.to.toISOString()}, in ${report.seconds.toFixed(1)} s (${Math.round(report.attempts / report.seconds).toLocaleString('en')} rows/s)`,
  );
} catch (error) {
  fail(error instanceof SeedRefusedError ? error.message : `failed: ${(error as Error).stack}`);
}
