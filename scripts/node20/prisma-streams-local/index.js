// Only `prisma dev` (Prisma's throw-away local database) imports this package; the real one needs
// Node 22. Flash Station runs Node 20 against a real Postgres, so that command says why it cannot run.
export async function startLocalDurableStreamsServer() {
  throw new Error(
    '`prisma dev` is not supported here: it needs Node 22 (@prisma/streams-local); use the real Postgres in DATABASE_URL (README "Setup").',
  );
}
