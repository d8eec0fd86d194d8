// `npm run db:migrate`: create the database named by DATABASE_URL if missing, apply migrations.
import { ensureDatabase } from '../ensure-database';
import { DatabaseUnavailableError } from '../errors';
import { redactUrl } from '../connection-url';
import { cliEnv } from './env';

try {
  const log = (message: string) => console.log(`[db] ${message}`);
  const { created, applied } = await ensureDatabase(cliEnv.databaseUrl, { log });
  console.log(
    `[db] ${redactUrl(cliEnv.databaseUrl)}: ${created ? 'created, ' : ''}${applied.length} migration(s) applied`,
  );
} catch (error) {
  if (error instanceof DatabaseUnavailableError) {
    console.error(`[db] ${error.message}`);
  } else {
    console.error(
      `[db] migration failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  process.exitCode = 1;
}
