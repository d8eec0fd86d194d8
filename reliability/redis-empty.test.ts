// Redis restarted without its data while modules flash: the station's journal still delivers
// every finished flash to the record, and no slot stays blocked.
import { labelImei, startPrivateRedis, waitFor, type PrivateRedis } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs, startLine, type Line } from './support/line';

const SLOTS = 3;
let redis: PrivateRedis;
let line: Line;

beforeAll(async () => {
  redis = await startPrivateRedis();
  line = await startLine({ redisUrl: redis.url, slots: SLOTS });
}, 120_000);
afterAll(async () => {
  await line?.dispose();
  await redis?.dispose();
}, 60_000);

describe('Redis restarted empty mid-flash', () => {
  const count = runs(5, 1);
  it(`records every flash from the journal and blocks no slot (${count} restarts)`, async () => {
    for (let round = 1; round <= count; round += 1) {
      const attempts = await Promise.all(
        Array.from({ length: SLOTS }, (_, i) => line.start(i + 1, labelImei(i + 1))),
      );
      await waitFor('every slot flashing', () =>
        attempts.every((id) => line.progress.some((p) => p.attemptId === id)),
      );
      await redis.restartEmpty();
      // Each attempt ends with the flash's real result (the station kept flashing), stored once.
      for (const id of attempts) {
        const stored = await waitFor(
          `attempt ${id} stored`,
          async () => {
            const row = await line.attempt(id);
            return row.endedAt ? row : undefined;
          },
          { timeoutMs: 60_000 },
        );
        expect(stored.outcome).toBe('passed');
      }
      // The slots take the next scan (once the station has re-registered) and flash it.
      for (let slot = 1; slot <= SLOTS; slot += 1) {
        await waitFor(
          `slot ${slot} accepts a scan again`,
          async () => {
            const answer = await line.scan(slot, labelImei(slot));
            return answer.status === 202;
          },
          { timeoutMs: 30_000, intervalMs: 500 },
        );
      }
      await waitFor(
        'the next flashes end',
        async () => {
          const open = await line.db.prisma.flashAttempt.count({ where: { endedAt: null } });
          return open === 0;
        },
        { timeoutMs: 60_000 },
      );
      const passed = await line.db.prisma.flashAttempt.count({ where: { outcome: 'passed' } });
      expect(passed).toBe(round * SLOTS * 2);
    }
  });
});
