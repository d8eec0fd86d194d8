// Turns "cannot connect" failures from node-postgres or Prisma into ONE clear sentence that says
// what is wrong, where we looked and what to do, instead of a stack trace.
import { DatabaseUnavailableError } from './errors';
import { parseDatabaseUrl, redactUrl } from './connection-url';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);
const AUTH_FAILED = new Set(['28P01', '28000']);
const NO_DATABASE = '3D000';
const START_HINT = 'start it with `docker compose up -d postgres` or your local PostgreSQL service';

/** Returns a DatabaseUnavailableError when `error` means "cannot connect", else undefined. */
export function toUnavailableError(
  error: unknown,
  url: string,
): DatabaseUnavailableError | undefined {
  const code = findCode(error);
  if (code === undefined) return undefined;
  const where = describeWhere(url);
  if (UNREACHABLE.has(code) || code === 'P1001') {
    return new DatabaseUnavailableError(`Postgres is not reachable at ${where}: ${START_HINT}.`, {
      cause: error,
    });
  }
  if (AUTH_FAILED.has(code) || code === 'P1000') {
    return new DatabaseUnavailableError(
      `Postgres at ${where} refused the credentials: fix the user or password in DATABASE_URL.`,
      { cause: error },
    );
  }
  if (code === NO_DATABASE || code === 'P1003') {
    return new DatabaseUnavailableError(
      `The database named in DATABASE_URL does not exist at ${where}: run \`npm run db:migrate\` to create it.`,
      { cause: error },
    );
  }
  return undefined;
}

function describeWhere(url: string): string {
  try {
    const { host, port } = parseDatabaseUrl(url);
    return `${host}:${port} (DATABASE_URL=${redactUrl(url)})`;
  } catch {
    return `DATABASE_URL=${redactUrl(url)}`;
  }
}

/** The first connection-level code found on the error, its `cause` chain or AggregateError parts. */
function findCode(error: unknown, depth = 0): string | undefined {
  if (depth > 6 || typeof error !== 'object' || error === null) return undefined;
  const record = error as {
    code?: unknown;
    cause?: unknown;
    errors?: unknown;
    originalCode?: unknown;
  };
  for (const candidate of [record.code, record.originalCode]) {
    if (typeof candidate === 'string' && isKnown(candidate)) return candidate;
  }
  if (Array.isArray(record.errors)) {
    for (const inner of record.errors) {
      const found = findCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return findCode(record.cause, depth + 1);
}

function isKnown(code: string): boolean {
  return (
    UNREACHABLE.has(code) ||
    AUTH_FAILED.has(code) ||
    code === NO_DATABASE ||
    /^P100[013]$/.test(code)
  );
}
