// Recognises constraint violations by the index, constraint or column that fired. With the pg
// driver adapter, Prisma reports P2002 (unique) and P2003 (foreign key) and carries the index or
// column name in the error's metadata.

function describes(error: unknown, prismaCode: string, name: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, meta, message } = error as { code?: unknown; meta?: unknown; message?: unknown };
  if (code !== prismaCode) return false;
  const text = `${JSON.stringify(meta ?? {})} ${typeof message === 'string' ? message : ''}`;
  return text.includes(name);
}

export function isUniqueViolation(error: unknown, indexName: string): boolean {
  return describes(error, 'P2002', indexName);
}

/** A foreign key violation on `column` (e.g. `slot_id`): the row it names does not exist. */
export function isForeignKeyViolation(error: unknown, column: string): boolean {
  return describes(error, 'P2003', column);
}
