// The only place the db package's command-line tools read the environment.
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/flashstation';

export const cliEnv = {
  databaseUrl: process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL,
  /** Passed on to child processes (the Prisma 6 CLI) together with our own variables. */
  inherited: process.env,
};
