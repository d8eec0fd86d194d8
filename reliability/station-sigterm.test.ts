// A station stopped with SIGTERM (a service stop, a redeploy) while flashing: the running flashes
// are cut short within seconds, each recorded once as interrupted at the stage it reached, and
// the slots flash again when the station is back.
import { labelImei, waitFor } from '@station/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLine, type Line } from './support/line';
import { STAGE_ORDER } from './support/stages';

const SLOTS = 2;
let line: Line;

beforeAll(async () => {
  line = await startLine({ slots: SLOTS });
}, 120_000);
afterAll(() => line?.dispose(), 60_000);

describe('station stopped with SIGTERM mid-flash', () => {
  it('cuts the flashes short within seconds and records each as interrupted at its stage', async () => {
    const attempts = await Promise.all(
      Array.from({ length: SLOTS }, (_, i) => line.start(i + 1, labelImei(i + 1))),
    );
    await waitFor(
      'both slots in the DA upload',
      () =>
        attempts.every((id) =>
          line.progress.some((p) => p.attemptId === id && p.stage === 'da_upload'),
        ),
      { timeoutMs: 30_000 },
    );
    // stop() fails if the agent is not gone by the deadline: the flashes may not hold it up.
    const exit = await line.station.stop({ timeoutMs: 5000 });
    expect(exit.code).toBe(0);
    for (const id of attempts) {
      const result = await line.resultOf(id, 10_000);
      expect(result).toMatchObject({ outcome: 'interrupted', errorName: 'FS_CANCELED' });
      expect(STAGE_ORDER.indexOf(result.stage)).toBeGreaterThanOrEqual(
        STAGE_ORDER.indexOf('da_upload'),
      );
      expect((await line.attempt(id)).outcome).toBe('interrupted');
    }
    await line.station.start();
    const next = await Promise.all(
      Array.from({ length: SLOTS }, (_, i) => line.start(i + 1, labelImei(i + 1))),
    );
    for (const id of next) expect((await line.resultOf(id)).outcome).toBe('passed');
    // Nothing was settled twice: one result event per attempt.
    for (const id of [...attempts, ...next])
      expect(line.results.filter((r) => r.attemptId === id)).toHaveLength(1);
  });
});
