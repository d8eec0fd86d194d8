// The throw-away migrated database a test file works in: made before its tests, dropped after
// them. One place for the hooks every repository test file needs.
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index';

/**
 * Registers the file's beforeAll/afterAll and returns the database. Its fields are read when a
 * test or hook runs (not at import), since the database exists only once beforeAll has run.
 */
export function useTestDatabase(): Pick<TestDatabase, 'url' | 'prisma'> {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  const current = (): TestDatabase => {
    if (!db) throw new Error('the test database is made in beforeAll: read it inside a test');
    return db;
  };
  return {
    get url() {
      return current().url;
    },
    get prisma() {
      return current().prisma;
    },
  };
}
