// EXPLAIN (ANALYZE, BUFFERS) of the analytics benchmark's heaviest reads (yield over a shift from
// the unit_shifts roll-up and from the attempts, a 30-day Pareto), with the exact SQL and parameters the repositories send: each repository call
// is handed a stand-in for Prisma whose $queryRaw explains the statement on a plain connection
// instead of running it.
// Usage: DATABASE_URL=… npx tsx scripts/bench/analytics-plans.ts   (after npm run db:seed)
import {
  analyticsRepository,
  moduleRepository,
  Prisma,
  type PrismaClientOrTransaction,
} from '@station/db';
import pg from 'pg';

const DAY = 86_400_000;
const client = new pg.Client({
  connectionString:
    process.env.DATABASE_URL?.trim() || 'postgresql://postgres@127.0.0.1:5432/flashstation',
});
await client.connect();

const explaining = (title: string) =>
  ({
    async $queryRaw(strings: TemplateStringsArray, ...values: unknown[]) {
      const sql = Prisma.sql(strings, ...values);
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`,
        sql.values,
      );
      console.log(`\n### ${title}\n\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      return [];
    },
  }) as unknown as PrismaClientOrTransaction;

try {
  const { rows } = await client.query<{ last: Date }>(
    'SELECT max(started_at) AS last FROM flash_attempts',
  );
  const end = new Date(Math.floor(rows[0]!.last.getTime() / DAY) * DAY);
  let shift = end.getTime() - DAY;
  while ([0, 6].includes(new Date(shift).getUTCDay())) shift -= DAY;
  const from = new Date(shift + 6 * 3_600_000);
  const shiftWindow = { from, to: new Date(from.getTime() + 8 * 3_600_000) };
  const month = { from: new Date(end.getTime() - 30 * DAY), to: end };
  const { rows: sample } = await client.query<{ imei: string }>(
    `SELECT m.imei FROM modules m WHERE EXISTS (
       SELECT 1 FROM flash_attempts a WHERE a.module_id = m.id AND a.retry_of_id IS NOT NULL)
     LIMIT 1`,
  );
  if (sample[0]) await moduleRepository.history(explaining('module history'), sample[0].imei);
  const line = { timeZone: 'UTC', shifts: [] };
  await analyticsRepository.yieldGroups(explaining('yield by slot, one day shift, roll-up'), {
    ...shiftWindow,
    groupBy: 'slot',
    ...line,
    wholeShift: true,
  });
  await analyticsRepository.yieldGroups(explaining('yield by hour, one day shift, roll-up'), {
    ...shiftWindow,
    groupBy: 'hour',
    ...line,
    wholeShift: true,
  });
  await analyticsRepository.yieldGroups(explaining('yield by hour, one day shift'), {
    ...shiftWindow,
    groupBy: 'hour',
    timeZone: 'UTC',
    shifts: [],
  });
  await analyticsRepository.yieldGroups(explaining('yield by slot, one day shift'), {
    ...shiftWindow,
    groupBy: 'slot',
    timeZone: 'UTC',
    shifts: [],
  });
  await analyticsRepository.paretoCounts(explaining('Pareto by errorCode, 30 days'), {
    ...month,
    by: 'errorCode',
  });
  await analyticsRepository.paretoCounts(explaining('Pareto by slot, 30 days'), {
    ...month,
    by: 'slot',
  });
} finally {
  await client.end();
}
