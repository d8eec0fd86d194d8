// Splits a postgresql:// URL into the fields node-postgres and @prisma/adapter-pg take. Passing
// fields rather than the string keeps a shadow or maintenance database from inheriting the
// main database's name, and lets error messages name host and port without the password.

export interface ConnectionFields {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

export class InvalidDatabaseUrlError extends Error {
  readonly code = 'INVALID_DATABASE_URL';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidDatabaseUrlError';
  }
}

export function parseDatabaseUrl(url: string): ConnectionFields {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidDatabaseUrlError(
      `DATABASE_URL is not a URL: expected postgresql://user@host:5432/database, got "${redactUrl(url)}".`,
    );
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new InvalidDatabaseUrlError(
      `DATABASE_URL must start with postgresql://, got "${parsed.protocol}//…".`,
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) {
    throw new InvalidDatabaseUrlError(
      `DATABASE_URL names no database: add one after the host, e.g. ${parsed.protocol}//${parsed.host}/flashstation.`,
    );
  }
  const fields: ConnectionFields = {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 5432,
    user: parsed.username ? decodeURIComponent(parsed.username) : 'postgres',
    database,
  };
  if (parsed.password) fields.password = decodeURIComponent(parsed.password);
  return fields;
}

/** The same URL with a different database name (e.g. the `postgres` maintenance database). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** The URL with its password replaced, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}
