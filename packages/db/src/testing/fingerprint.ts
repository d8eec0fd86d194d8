// What a test compares before and after a request that must write nothing: a digest of every row
// of every table (the fuzz tests' "no partial write" property, docs/reliability.md "Fuzzing").
import type { PrismaClient } from '../generated/prisma/client';

/** A table's digest by table name; equal fingerprints mean no row was added, changed or removed. */
export type DatabaseFingerprint = Record<string, string>;

export interface FingerprintOptions {
  /**
   * Audit actions a refused request may record on purpose (a failed sign-in is audited): rows
   * with these actions are left out of the `audit_events` digest.
   */
  allowedAuditActions?: readonly string[];
}

export async function databaseFingerprint(
  prisma: PrismaClient,
  options: FingerprintOptions = {},
): Promise<DatabaseFingerprint> {
  const tables = await prisma.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
      AND table_name <> '_prisma_migrations'
    ORDER BY table_name`;
  const allowed = [...(options.allowedAuditActions ?? [])];
  const fingerprint: DatabaseFingerprint = {};
  for (const { name } of tables) {
    // Table names come from the catalogue above, never from input; quoted as identifiers.
    const table = `"${name.replaceAll('"', '""')}"`;
    const skip =
      name === 'audit_events' && allowed.length > 0 ? 'WHERE NOT (action = ANY($1))' : '';
    const rows = await prisma.$queryRawUnsafe<{ digest: string }[]>(
      `SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))
         AS digest FROM ${table} t ${skip}`,
      ...(skip ? [allowed] : []),
    );
    fingerprint[name] = rows[0]!.digest;
  }
  return fingerprint;
}
