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
const START_HINT = 'start your local PostgreSQL service or set DATABASE_URL to where it runs';

/** Returns a DatabaseUnavailableError when `error` means "cannot connect", else undefined. */
export function toUnavailableError(
  error: unknown,
  url: string,
): DatabaseUnavailableError | undefined {
  const failure = classify(error);
  if (failure === undefined) return undefined;
  const where = describeWhere(url);
  if (failure === 'unreachable') {
    return new DatabaseUnavailableError(`Postgres is not reachable at ${where}: ${START_HINT}.`, {
      cause: error,
    });
  }
  if (failure === 'auth') {
    return new DatabaseUnavailableError(
      `Postgres at ${where} refused the credentials: fix the user or password in DATABASE_URL.`,
      { cause: error },
    );
  }
  if (failure === 'no-database') {
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

type Failure = 'unreachable' | 'auth' | 'no-database';

const DRIVER_ADAPTER_KINDS: Record<string, Failure> = {
  DatabaseNotReachable: 'unreachable',
  SocketTimeout: 'unreachable',
  TooManyConnections: 'unreachable',
  AuthenticationFailed: 'auth',
  DatabaseAccessDenied: 'auth',
  DatabaseDoesNotExist: 'no-database',
};

function classifyCode(code: string): Failure | undefined {
  if (UNREACHABLE.has(code) || code === 'P1001' || code === 'P1002') return 'unreachable';
  if (AUTH_FAILED.has(code) || code === 'P1000') return 'auth';
  if (code === NO_DATABASE || code === 'P1003') return 'no-database';
  return undefined;
}

/**
 * What kind of connection failure `error` is, looking at node-postgres codes, Prisma codes and
 * the driver adapter's error kind (Prisma wraps raw-query failures as P2010 with the real
 * reason in `meta.driverAdapterError.cause`), through `cause` chains and AggregateErrors.
 */
function classify(error: unknown, depth = 0): Failure | undefined {
  if (depth > 6 || typeof error !== 'object' || error === null) return undefined;
  const record = error as Record<string, unknown>;
  for (const key of ['code', 'originalCode']) {
    const value = record[key];
    const failure = typeof value === 'string' ? classifyCode(value) : undefined;
    if (failure) return failure;
  }
  if (typeof record.kind === 'string' && record.kind in DRIVER_ADAPTER_KINDS) {
    return DRIVER_ADAPTER_KINDS[record.kind];
  }
  const meta = record.meta as { driverAdapterError?: { cause?: unknown } } | undefined;
  const nested = [
    meta?.driverAdapterError?.cause,
    record.cause,
    ...(Array.isArray(record.errors) ? record.errors : []),
  ];
  for (const inner of nested) {
    const failure = classify(inner, depth + 1);
    if (failure) return failure;
  }
  return undefined;
}
