// A station PC that dies mid-flash (SIGKILL of the agent and its jig, at a random moment) and
// comes back: every attempt is settled exactly once, at the stage it had really reached, the
// slots take new scans within 10 s of the restart, and the next flash passes.
import { labelImei, waitFor } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs, startLine, type Line } from './support/line';
import { STAGE_ORDER } from './support/stages';

const SLOTS = 2;
/** Where slot 1's flash is when the station dies, round after round. */
const KILL_AT = [
  'queued',
  'preflight',
  'brom',
  'da_upload',
  'write',
  'verify',
  'postflight',
] as const;
let line: Line;

beforeAll(async () => {
  line = await startLine({ slots: SLOTS });
}, 120_000);
afterAll(() => line?.dispose(), 60_000);

describe('station killed mid-flash', () => {
  const count = runs(10, 3);
  it(`settles every attempt once at its real stage and frees the slots (${count} kills)`, async () => {
    /** outcome@stage of every attempt the kills hit, for docs/reliability.md. */
    const settled: string[] = [];
    for (let round = 1; round <= count; round += 1) {
      const attempts = await Promise.all(
        Array.from({ length: SLOTS }, (_, i) => line.start(i + 1, labelImei(i + 1))),
      );
      // The kills walk the flash: before the station took the job, then at or past each stage in
      // turn, plus up to half a second, so every kind of interruption is met, not only the
      // longest stage.
      const target = KILL_AT[(round - 1) % KILL_AT.length]!;
      if (target !== 'queued')
        await waitFor(
          `slot 1 at ${target}`,
          () =>
            line.progress.some(
              (p) =>
                p.attemptId === attempts[0] &&
                STAGE_ORDER.indexOf(p.stage) >= STAGE_ORDER.indexOf(target),
            ),
          { timeoutMs: 60_000, intervalMs: 10 },
        );
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 500));
      const lastSeen = new Map(
        attempts.map((id) => [id, line.progress.filter((p) => p.attemptId === id).at(-1)?.stage]),
      );
      await line.station.kill();
      await line.station.start();
      for (const id of attempts) {
        const stored = await waitFor(
          `attempt ${id} settled`,
          async () => {
            const row = await line.attempt(id);
            return row.endedAt ? row : undefined;
          },
          { timeoutMs: 10_000 },
        );
        // Interrupted by the kill, or finished just before it: never left open, never lost.
        expect(['interrupted', 'passed', 'failed']).toContain(stored.outcome);
        settled.push(`${stored.outcome}@${stored.stageReached}`);
        const seen = lastSeen.get(id);
        // The stored stage is at least the last one a screen saw before the kill.
        if (seen)
          expect(STAGE_ORDER.indexOf(stored.stageReached)).toBeGreaterThanOrEqual(
            STAGE_ORDER.indexOf(seen),
          );
      }
      // Every attempt settled once: one flash:result each, none twice.
      for (const id of attempts) {
        await line.resultOf(id, 10_000);
        expect(line.results.filter((r) => r.attemptId === id)).toHaveLength(1);
      }
      // The slots are free (the settlements above came within 10 s of the restart): a new
      // flash is taken at once and passes.
      const next = await Promise.all(
        Array.from({ length: SLOTS }, (_, i) => line.start(i + 1, labelImei(i + 1))),
      );
      for (const id of next) expect((await line.resultOf(id)).outcome).toBe('passed');
    }
    const tally = Object.entries(
      settled.reduce<Record<string, number>>(
        (acc, key) => ({ ...acc, [key]: (acc[key] ?? 0) + 1 }),
        {},
      ),
    );
    console.info(
      `station kills: ${count}; attempts settled: ${tally.map(([k, n]) => `${k} ×${n}`).join(', ')}`,
    );
  });
});
