// Benchmark (not a test): the product's hot queries over a large synthetic attempt table.
// Usage: npx tsx packages/db/bench/queries.bench.ts [attempts=1000000]
// Makes its own database on local Postgres, fills it with generate_series, prints each query's
// plan root and median time over 5 runs, and drops the database.
import { createTestDatabase } from '../src/testing/index';

const total = Number(process.argv[2] ?? 1_000_000);
const db = await createTestDatabase();
const sql = (text: string) => db.prisma.$executeRawUnsafe(text);
try {
  console.log(`filling ${total.toLocaleString()} attempts…`);
  await sql(
    `INSERT INTO stations (id, code, name, updated_at) SELECT gen_random_uuid(), 'st' || g, 'Station ' || g, now() FROM generate_series(1, 8) g`,
  );
  await sql(`INSERT INTO slots (id, station_id, index, label, updated_at)
             SELECT gen_random_uuid(), s.id, g, 'S' || g, now() FROM stations s, generate_series(0, 15) g`);
  await sql(
    `INSERT INTO firmware_packages (id, name, revision, platform, digest) SELECT gen_random_uuid(), 'MC60', 'R' || g, 'MT2503', encode(sha256(('R' || g)::bytea), 'hex') FROM generate_series(1, 4) g`,
  );
  await sql(
    `INSERT INTO modules (id, imei, updated_at) SELECT gen_random_uuid(), (350000000000000 + g)::text, now() FROM generate_series(1, ${Math.ceil(total / 2)}) g`,
  );
  await sql(`
    WITH s AS (SELECT array_agg(id) ids, array_agg(station_id) st FROM slots),
         p AS (SELECT array_agg(id) ids FROM firmware_packages),
         m AS (SELECT array_agg(id ORDER BY imei) ids FROM modules)
    INSERT INTO flash_attempts (id, module_id, station_id, slot_id, package_id, started_at, ended_at, outcome, stage_reached, error_code)
    SELECT gen_random_uuid(), m.ids[1 + (g % array_length(m.ids, 1))], s.st[1 + (g % 128)], s.ids[1 + (g % 128)],
           p.ids[1 + (g % 4)], t, t + interval '40 seconds',
           CASE WHEN g % 10 = 0 THEN 'failed'::attempt_outcome ELSE 'passed' END, 'postflight',
           CASE WHEN g % 10 = 0 THEN (ARRAY[2004, 4008, 4004, 2005])[1 + (g / 10) % 4] END
    FROM s, p, m, generate_series(1, ${total}) g, LATERAL (SELECT now() - (g * interval '2 seconds') AS t) ts`);
  await sql('ANALYZE');

  const queries: Record<string, string> = {
    'module history': `SELECT a.* FROM flash_attempts a JOIN modules m ON m.id = a.module_id
                       WHERE m.imei = '350000000004242' ORDER BY a.started_at DESC`,
    'yield by slot, last 24 h': `SELECT slot_id, count(*) FILTER (WHERE outcome = 'passed')::float / count(*) AS yield
                       FROM flash_attempts WHERE started_at > now() - interval '24 hours' GROUP BY slot_id`,
    'yield by hour, one station, last 24 h': `SELECT date_trunc('hour', started_at) h, count(*) FILTER (WHERE outcome = 'passed') passed, count(*)
                       FROM flash_attempts WHERE station_id = (SELECT id FROM stations WHERE code = 'st1')
                       AND started_at > now() - interval '24 hours' GROUP BY 1 ORDER BY 1`,
    'failure Pareto, last 7 days': `SELECT error_code, count(*) FROM flash_attempts
                       WHERE error_code IS NOT NULL AND started_at > now() - interval '7 days' GROUP BY 1 ORDER BY 2 DESC`,
  };
  for (const [name, query] of Object.entries(queries)) {
    const times: number[] = [];
    let plan = '';
    for (let run = 0; run < 5; run += 1) {
      const rows = await db.prisma.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN (ANALYZE, FORMAT TEXT) ${query}`,
      );
      const last = rows.at(-1)?.['QUERY PLAN'] ?? '';
      times.push(Number(/Execution Time: ([\d.]+)/.exec(last)?.[1] ?? NaN));
      plan =
        rows
          .map((r) => r['QUERY PLAN'])
          .find((l) => /Index|Seq Scan/.test(l))
          ?.trim() ?? '';
    }
    times.sort((a, b) => a - b);
    console.log(`${name.padEnd(40)} median ${times[2]?.toFixed(2)} ms   ${plan.slice(0, 90)}`);
  }
} finally {
  await db.drop();
}
