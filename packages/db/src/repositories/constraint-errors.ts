// Recognises a unique-constraint violation by the index or constraint that fired. With the pg
// driver adapter, Prisma reports P2002 and carries the index name in the error's metadata.

export function isUniqueViolation(error: unknown, indexName: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, meta, message } = error as { code?: unknown; meta?: unknown; message?: unknown };
  if (code !== 'P2002') return false;
  const text = `${JSON.stringify(meta ?? {})} ${typeof message === 'string' ? message : ''}`;
  return text.includes(indexName);
}
