import { describe, expect, it } from 'vitest';
import { realClock, TIMER_TOLERANCE_MS } from './clock';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('realClock timers', () => {
  it('fire once, never earlier than the tolerance before due, short and long waits alike', async () => {
    const waits = [0, 0.3, 1.6, 5, 12];
    const fired = await Promise.all(
      waits.map(
        (ms) =>
          new Promise<{ ms: number; early: number }>((resolve) => {
            const due = realClock.now() + ms;
            realClock.setTimer(() => resolve({ ms, early: due - realClock.now() }), ms);
          }),
      ),
    );
    for (const { early } of fired) expect(early).toBeLessThanOrEqual(TIMER_TOLERANCE_MS);
  });

  it('a cancelled timer never fires, on either path (immediate or timeout)', async () => {
    let calls = 0;
    const cancelNow = realClock.setTimer(() => calls++, 0);
    const cancelLater = realClock.setTimer(() => calls++, 3);
    cancelNow();
    cancelLater();
    await sleep(20);
    expect(calls).toBe(0);
  });

  it('a timer cancelled after it fired stays harmless', async () => {
    let calls = 0;
    const cancel = realClock.setTimer(() => calls++, 1);
    await sleep(15);
    cancel();
    expect(calls).toBe(1);
  });
});
