// The server killed while flashes complete and started again 30 s later: every result is stored
// and reaches the screens (a result stored late is still a flash:result).
import { labelImei, waitFor } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs, startLine, type Line } from './support/line';

const SLOTS = 3;
let line: Line;

beforeAll(async () => {
  line = await startLine({ slots: SLOTS });
}, 120_000);
afterAll(() => line?.dispose(), 60_000);

describe('server killed while jobs complete', () => {
  const downMs = runs(30_000, 20_000);
  it(`stores and shows every result after ${downMs / 1000} s away`, async () => {
    const attempts = await Promise.all(
      Array.from({ length: SLOTS }, (_, i) => line.start(i + 1, labelImei(i + 1))),
    );
    await waitFor('every slot flashing', () =>
      attempts.every((id) => line.progress.some((p) => p.attemptId === id)),
    );
    await line.server.kill();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    expect(await line.db.prisma.flashAttempt.count({ where: { endedAt: null } })).toBe(SLOTS);
    await line.server.start();
    // Every result is stored, and a screen (re)connecting now is shown each one: the line state
    // a watch answers with. (A screen that was connected while they were stored got flash:result;
    // this one was still reconnecting to the restarted server.)
    const detail = await waitFor(
      'every result in the line state',
      async () => {
        const now = await line.detail();
        return now.line.every((s, i) => s.last?.attemptId === attempts[i]) && now;
      },
      { timeoutMs: 30_000 },
    );
    expect(detail.line.map((s) => s.last?.outcome)).toEqual(attempts.map(() => 'passed'));
    for (const id of attempts) expect((await line.attempt(id)).outcome).toBe('passed');
  });
});
