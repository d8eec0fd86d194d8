// Analytics at a line's real history (issue #10 §6): p50/p95 of the supervisor's and engineer's
// reads through the real server (analytics-server.ts) on a database filled by `npm run db:seed`.
// Usage: DATABASE_URL=… npx tsx scripts/bench/analytics.ts [--runs 3] [--requests 40]
// `first` is each query's first request after the server started (its plan and pages not yet
// cached by this process's connections), the runs follow one after another. Never pass/fail:
// the figures and their method are in docs/benchmarks.md.
import { benchQueries } from './analytics-queries';
import { startBenchServer } from './analytics-server';
import { formatTable, numberArg, type Row } from './lib/bench-util';

const args = process.argv.slice(2);
const runs = numberArg(args, 'runs', 3);
const requests = numberArg(args, 'requests', 40);
const databaseUrl =
  process.env.DATABASE_URL?.trim() || 'postgresql://postgres@127.0.0.1:5432/flashstation';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const queries = await benchQueries(databaseUrl);
if (typeof queries === 'string') {
  console.log(`SKIP: ${queries}`);
  process.exit(0);
}
const server = await startBenchServer(databaseUrl);
try {
  const rows: Row[] = queries.map((q) => ({ query: q.name }));
  const timed = async (url: string) => {
    const start = performance.now();
    const status = await server.get(url);
    if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
    return performance.now() - start;
  };
  for (const [q, query] of queries.entries()) rows[q]!.firstMs = await timed(query.url(0));
  for (let run = 1; run <= runs; run += 1) {
    for (const [q, query] of queries.entries()) {
      const times: number[] = [];
      for (let i = 0; i < requests; i += 1) times.push(await timed(query.url(i + 1)));
      times.sort((a, b) => a - b);
      rows[q]![`run${run}P50`] = percentile(times, 50);
      rows[q]![`run${run}P95`] = percentile(times, 95);
    }
  }
  console.log(formatTable(rows));
  console.log(JSON.stringify(rows));
} finally {
  await server.close();
}
