// What the analytics benchmark asks, drawn from the seeded database itself: modules to look up,
// weekday day shifts (whole: the roll-up; a minute short: the attempts), the window's last 30 days and a cursor half-way down the history.
import { encodeAttemptCursor } from '@station/contracts';
import pg from 'pg';

export interface BenchQuery {
  name: string;
  /** The i-th request's URL (queries that vary take the next module or shift each time). */
  url(i: number): string;
}

const DAY = 86_400_000;

export async function benchQueries(databaseUrl: string): Promise<BenchQuery[] | string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // A fresh clone has no seeded database: say what to do instead of failing the whole bench.
  const unseeded = (error: unknown) => {
    const code = (error as { code?: string }).code;
    if (code === '3D000' || code === '42P01')
      return `${(error as Error).message}: seed first (npm run db:seed -- --attempts N)`;
    throw error;
  };
  try {
    await client.connect();
  } catch (error) {
    return unseeded(error);
  }
  try {
    const bounds = await client
      .query<{ first: Date | null; last: Date | null }>(
        'SELECT min(started_at) AS first, max(started_at) AS last FROM flash_attempts',
      )
      .then((result) => result.rows, unseeded);
    if (typeof bounds === 'string') return bounds;
    const { first, last } = bounds[0]!;
    if (!first || !last) return 'no attempts: seed first (npm run db:seed -- --attempts N)';
    // Modules spread over the table (TABLESAMPLE reads random pages, not the first ones).
    const { rows: modules } = await client.query<{ imei: string }>(
      'SELECT imei FROM modules TABLESAMPLE SYSTEM (1) LIMIT 500',
    );
    const end = new Date(Math.floor(last.getTime() / DAY) * DAY);
    // The last ten weekdays' 06:00–14:00 shifts (the busiest).
    const shifts: Date[] = [];
    for (let day = end.getTime() - DAY; shifts.length < 10 && day > first.getTime(); day -= DAY) {
      const weekday = new Date(day).getUTCDay();
      if (weekday !== 0 && weekday !== 6) shifts.push(new Date(day + 6 * 3_600_000));
    }
    const middle = new Date((first.getTime() + last.getTime()) / 2);
    const { rows: deep } = await client.query<{ started_at: Date; id: string }>(
      `SELECT started_at, id::text FROM flash_attempts WHERE started_at <= $1
       ORDER BY started_at DESC, id DESC LIMIT 1`,
      [middle],
    );
    const cursor = encodeAttemptCursor({ startedAt: deep[0]!.started_at, id: deep[0]!.id });
    const shift = (i: number) => {
      const from = shifts[i % shifts.length]!;
      return `from=${from.toISOString()}&to=${new Date(from.getTime() + 8 * 3_600_000).toISOString()}`;
    };
    // The same shift ending a minute early: not a whole shift, so read from the attempts.
    const shiftFromAttempts = (i: number) => {
      const from = shifts[i % shifts.length]!;
      return `from=${from.toISOString()}&to=${new Date(from.getTime() + 8 * 3_600_000 - 60_000).toISOString()}`;
    };
    const month = `from=${new Date(end.getTime() - 30 * DAY).toISOString()}&to=${end.toISOString()}`;
    return [
      { name: 'module history', url: (i) => `/api/modules/${modules[i % modules.length]!.imei}` },
      // A whole shift: the unit_shifts roll-up (docs/analytics.md "Roll-up").
      { name: 'yield by slot, one shift', url: (i) => `/api/yield?${shift(i)}&groupBy=slot` },
      { name: 'yield by hour, one shift', url: (i) => `/api/yield?${shift(i)}&groupBy=hour` },
      {
        name: 'yield by slot, shift − 1 min (attempts)',
        url: (i) => `/api/yield?${shiftFromAttempts(i)}&groupBy=slot`,
      },
      {
        name: 'Pareto by errorCode, 30 days',
        url: () => `/api/failures/pareto?${month}&by=errorCode`,
      },
      { name: 'Pareto by slot, 30 days', url: () => `/api/failures/pareto?${month}&by=slot` },
      { name: 'explorer first page', url: () => '/api/attempts?limit=50' },
      { name: 'explorer station', url: () => '/api/attempts?limit=50&station=line1-jig3' },
      { name: 'explorer errorCode', url: () => '/api/attempts?limit=50&errorCode=4008' },
      { name: 'explorer outcome failed', url: () => '/api/attempts?limit=50&outcome=failed' },
      {
        name: 'explorer outcome interrupted',
        url: () => '/api/attempts?limit=50&outcome=interrupted',
      },
      { name: 'explorer deep cursor', url: () => `/api/attempts?limit=50&cursor=${cursor}` },
    ];
  } finally {
    await client.end();
  }
}
