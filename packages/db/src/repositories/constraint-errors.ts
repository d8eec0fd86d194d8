// Recognises constraint violations by the index, constraint or column that fired. With the pg
// driver adapter, Prisma reports P2002 (unique) and P2003 (foreign key) and carries the index or
// column name in the error's metadata; a raw statement's violation is P2010 with Postgres's own
// code (23505, 23503) and the constraint's name in the driver's cause.

function describes(error: unknown, prismaCode: string, sqlState: string, name: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, meta, message } = error as { code?: unknown; meta?: unknown; message?: unknown };
  if (code !== prismaCode && !(code === 'P2010' && postgresCodeOf(error) === sqlState))
    return false;
  const text = `${JSON.stringify(meta ?? {})} ${typeof message === 'string' ? message : ''}`;
  return text.includes(name);
}

export function isUniqueViolation(error: unknown, indexName: string): boolean {
  return describes(error, 'P2002', '23505', indexName);
}

/** A foreign key violation on `column` (e.g. `slot_id`): the row it names does not exist. */
export function isForeignKeyViolation(error: unknown, column: string): boolean {
  return describes(error, 'P2003', '23503', column);
}

/** The SQLSTATE of a raw statement's failure: Prisma wraps it as P2010 with the driver's cause. */
export function postgresCodeOf(error: unknown): string | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } })
    ?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return typeof code === 'string' ? code : undefined;
}
