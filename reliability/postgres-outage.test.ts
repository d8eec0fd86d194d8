// Postgres stopped while slots finish their flashes: nothing is shown while it is away, and
// every result is stored and shown within seconds of its return, with no restart of anything.
import { labelImei, startPrivatePostgres, waitFor, type PrivatePostgres } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs, startLine, type Line } from './support/line';

const SLOTS = 3;
let postgres: PrivatePostgres;
let line: Line;

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  line = await startLine({ postgresUrl: postgres.url, slots: SLOTS });
}, 120_000);
afterAll(async () => {
  await line?.dispose();
  await postgres?.dispose();
}, 60_000);

describe('Postgres outage', () => {
  // The 60 s in the full run; long enough to outlast every flash in `npm test`.
  const outageMs = runs(60_000, 25_000);
  it(`holds results through a ${outageMs / 1000} s outage and stores them all when it returns`, async () => {
    const attempts = await Promise.all(
      Array.from({ length: SLOTS }, (_, i) => line.start(i + 1, labelImei(i + 1))),
    );
    await waitFor('every slot flashing', () =>
      attempts.every((id) => line.progress.some((p) => p.attemptId === id)),
    );
    await postgres.stop();
    const stoppedAt = Date.now();
    // The flashes finish on the station while the database is away.
    await new Promise((resolve) => setTimeout(resolve, outageMs));
    expect(line.results.filter((r) => attempts.includes(r.attemptId))).toEqual([]);
    const before = Date.now() - stoppedAt;
    await postgres.start();
    const results = await Promise.all(attempts.map((id) => line.resultOf(id, 20_000)));
    expect(results.map((r) => r.outcome)).toEqual(attempts.map(() => 'passed'));
    for (const id of attempts) {
      const row = await line.attempt(id);
      expect(row.outcome).toBe('passed');
      expect(row.endedAt).not.toBeNull();
    }
    expect(before).toBeGreaterThanOrEqual(outageMs);
    // The line state agrees with what was shown.
    const detail = await line.detail();
    expect(detail.line.map((s) => s.last?.attemptId)).toEqual(attempts);
    expect(detail.line.every((s) => s.current === null)).toBe(true);
  });
});
