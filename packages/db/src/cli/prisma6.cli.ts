// `npm run db:status -w @station/db` (and any other Prisma 6 command): runs the offline Prisma
// 6.19 CLI against DATABASE_URL with the current schema, e.g. `tsx src/cli/prisma6.cli.ts migrate status`.
import { cliEnv } from './env';
import { Prisma6Workspace, runPrisma6 } from './prisma6-runner';

const workspace = new Prisma6Workspace();
try {
  const args = [...process.argv.slice(2), '--schema', workspace.currentSchemaFile()];
  const { status } = runPrisma6(args, { databaseUrl: cliEnv.databaseUrl, env: cliEnv.inherited });
  process.exitCode = status;
} finally {
  workspace.dispose();
}
