// `npm run db:seed` at CI size (issue #10 §6): the same code the command runs fills a fresh
// database with 3 000 attempts from the station's error catalogue, and the history it leaves
// must hold together as the real record does. Real Postgres, a database of its own.
import { analyticsRepository } from '@station/db';
import { createTestDatabase, type TestDatabase } from '@station/db/testing';
import { seedDatabase, SeedRefusedError, type SeedReport } from '@station/db/seed';
import { isValidImei } from '@station/mtk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../src/cli/seed-catalogue';

const ATTEMPTS = 3000;
const DAYS = 90;
let db: TestDatabase;
let report: SeedReport;

beforeAll(async () => {
  db = await createTestDatabase();
  report = await seedDatabase({
    databaseUrl: db.url,
    attempts: ATTEMPTS,
    days: DAYS,
    catalogue: seedCatalogue(),
  });
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

const count = async (sql: string) => {
  const [row] = await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(sql);
  return Number(row!.n);
};

describe('db:seed at 3 000 attempts', () => {
  it('writes exactly the attempts asked for, within the 90 days before last midnight', async () => {
    expect(report.attempts).toBe(ATTEMPTS);
    expect(await count('SELECT count(*) AS n FROM flash_attempts')).toBe(ATTEMPTS);
    expect(report.to.getTime() - report.from.getTime()).toBe(DAYS * 86_400_000);
    const [span] = await db.prisma.$queryRaw<{ first: Date; last: Date; ended: Date }[]>`
      SELECT min(started_at) AS first, max(started_at) AS last, max(ended_at) AS ended
      FROM flash_attempts`;
    expect(span!.first.getTime()).toBeGreaterThanOrEqual(report.from.getTime());
    // A retry chain begun before midnight may end a few minutes after it.
    expect(span!.last.getTime()).toBeLessThan(report.to.getTime() + 3_600_000);
    expect(span!.ended.getTime()).toBeLessThan(Date.now());
    expect(await count('SELECT count(*) AS n FROM flash_attempts WHERE ended_at IS NULL')).toBe(0);
  });

  it('chains every retry to an earlier attempt of the same module', async () => {
    expect(
      await count('SELECT count(*) AS n FROM flash_attempts WHERE retry_of_id IS NOT NULL'),
    ).toBeGreaterThan(0);
    expect(
      await count(`SELECT count(*) AS n FROM flash_attempts r
                   JOIN flash_attempts o ON o.id = r.retry_of_id
                   WHERE o.module_id <> r.module_id OR o.ended_at > r.started_at
                      OR o.outcome <> 'failed'`),
    ).toBe(0);
    // Every retry_of_id names a stored attempt (the seed skips the row-by-row FK triggers).
    expect(
      await count(`SELECT count(*) AS n FROM flash_attempts r
                   WHERE r.retry_of_id IS NOT NULL
                     AND NOT EXISTS (SELECT 1 FROM flash_attempts o WHERE o.id = r.retry_of_id)`),
    ).toBe(0);
  });

  it("leaves each module's status and revision as its last finished attempt set them", async () => {
    const mismatches = await count(`
      WITH last AS (
        SELECT DISTINCT ON (module_id) module_id, outcome, revision_after, revision_before,
               reported_imei
        FROM flash_attempts WHERE outcome IN ('passed', 'failed')
        ORDER BY module_id, started_at DESC, id DESC)
      SELECT count(*) AS n FROM modules m LEFT JOIN last l ON l.module_id = m.id
      WHERE m.status::text <> coalesce(l.outcome::text, 'new')
         OR (l.outcome = 'passed' AND m.current_revision IS DISTINCT FROM l.revision_after)`);
    expect(mismatches).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM modules m
                   WHERE NOT EXISTS (SELECT 1 FROM flash_attempts a WHERE a.module_id = m.id)`),
    ).toBe(0);
    const imeis = await db.prisma.module.findMany({ select: { imei: true } });
    expect(imeis.filter((m) => !isValidImei(m.imei))).toEqual([]);
  });

  it('has passed and failed attempts, and some interrupted or canceled ones apart', async () => {
    const outcomes = await db.prisma.flashAttempt.groupBy({ by: ['outcome'], _count: true });
    const of = (outcome: string) => outcomes.find((o) => o.outcome === outcome)?._count ?? 0;
    expect(of('passed')).toBeGreaterThan(of('failed'));
    expect(of('failed')).toBeGreaterThan(0);
    // About 0.4 % of units (some 11 here): none at all would mean the branch is broken.
    expect(of('interrupted') + of('canceled')).toBeGreaterThan(0);
    expect(of('running')).toBe(0);
  });

  it('builds the unit_shifts roll-up its attempts call for (written without triggers)', async () => {
    expect(await count('SELECT count(*) AS n FROM unit_shifts')).toBeGreaterThan(2000);
    // Each row as the attempts define it, and no row more or less.
    expect(
      await count(`SELECT count(*) AS n FROM (
        (TABLE unit_shifts EXCEPT SELECT * FROM unit_shift_rows)
        UNION ALL (SELECT * FROM unit_shift_rows EXCEPT TABLE unit_shifts)) AS differ`),
    ).toBe(0);
  });

  it('skews the failure Pareto: the top cause far ahead of the median one', async () => {
    const rows = await analyticsRepository.paretoCounts(db.prisma, {
      from: report.from,
      to: report.to,
      by: 'errorCode',
    });
    const total = rows.reduce((sum, r) => sum + r.count, 0);
    expect(rows.length).toBeGreaterThan(5);
    expect(rows[0]!.count / total).toBeGreaterThan(0.15);
    expect(rows[0]!.count).toBeGreaterThan(4 * rows[Math.floor(rows.length / 2)]!.count);
  });

  it('yields a plausible line: first-pass yield about 92 %, final yield higher', async () => {
    const groups = await analyticsRepository.yieldGroups(db.prisma, {
      from: report.from,
      to: new Date(report.to.getTime() + 3_600_000),
      groupBy: 'station',
      timeZone: 'UTC',
      shifts: [],
    });
    const sum = (pick: (g: (typeof groups)[number]) => number) =>
      groups.reduce((total, g) => total + pick(g), 0);
    const units = sum((g) => g.units);
    expect(groups.map((g) => g.key)).toHaveLength(6);
    expect(sum((g) => g.firstPassUnits) / units).toBeGreaterThan(0.88);
    expect(sum((g) => g.firstPassUnits) / units).toBeLessThan(0.95);
    expect(sum((g) => g.passedUnits)).toBeGreaterThan(sum((g) => g.firstPassUnits));
  });

  it('marks the two bad slots suspect, with failures of theirs as evidence', async () => {
    const decisions = await db.prisma.attributionDecision.findMany({
      include: { slot: { include: { station: true } } },
    });
    expect(decisions.map((d) => `${d.slot!.station.code}/${d.slot!.index + 1}`).sort()).toEqual([
      'line1-jig3/7',
      'line1-jig5/12',
    ]);
    for (const decision of decisions) {
      const evidence = await db.prisma.flashAttempt.findMany({
        where: { id: { in: decision.evidence } },
      });
      expect(evidence.length).toBeGreaterThan(0);
      expect(evidence.every((a) => a.slotId === decision.slotId && a.outcome === 'failed')).toBe(
        true,
      );
    }
  });

  it('refuses to seed a database that already holds attempts', async () => {
    await expect(
      seedDatabase({ databaseUrl: db.url, attempts: 10, days: 1, catalogue: seedCatalogue() }),
    ).rejects.toThrow(SeedRefusedError);
    expect(await count('SELECT count(*) AS n FROM flash_attempts')).toBe(ATTEMPTS);
  });
});
