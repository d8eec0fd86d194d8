// Run before anything that imports the Prisma client (`npm run server`, `station:credential`,
// `db:seed`): generates it when it is missing or older than prisma/schema.prisma. npm installs
// here with --ignore-scripts, so no postinstall hook can be relied on; generation is offline
// (packages/db "db:generate", design §6) and takes a few seconds, once.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const schema = `${root}prisma/schema.prisma`;
const client = `${root}packages/db/src/generated/prisma/client.ts`;

/** True when the generated client is there and at least as new as the schema it came from. */
export const clientIsCurrent = (schemaFile = schema, clientFile = client) =>
  existsSync(clientFile) && statSync(clientFile).mtimeMs >= statSync(schemaFile).mtimeMs;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && !clientIsCurrent()) {
  console.error('[db] generating the Prisma client (missing or older than prisma/schema.prisma)');
  const result = spawnSync('npm', ['run', '--silent', 'db:generate'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 120_000,
  });
  if (result.status !== 0 || !clientIsCurrent()) {
    console.error(
      `[db] prisma generate failed${result.error ? ` (${result.error.message})` : ''}: run \`npm run db:generate\` to see why`,
    );
    process.exit(1);
  }
}
