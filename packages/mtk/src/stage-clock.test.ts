import { describe, expect, it } from 'vitest';
import type { FlashStage } from './errors/stages';
import { StageClock } from './stage-clock';

function manualClock(first: FlashStage) {
  let now = 1000;
  const entered: FlashStage[] = [];
  const clock = new StageClock(
    first,
    (s) => entered.push(s),
    () => now,
  );
  return { clock, entered, advance: (ms: number) => (now += ms) };
}

describe('StageClock', () => {
  it('times each stage from its entry to the next, announcing every stage entered', () => {
    const { clock, entered, advance } = manualClock('preflight');
    advance(300);
    clock.enter('power');
    advance(20);
    clock.enter('brom');
    advance(1500);
    expect(clock.stage).toBe('brom');
    // The running stage counts up to now.
    expect(clock.timings()).toEqual({ preflight: 300, power: 20, brom: 1500 });
    clock.stop();
    advance(5000);
    expect(clock.timings()).toEqual({ preflight: 300, power: 20, brom: 1500 });
    expect(clock.stage).toBe('brom');
    expect(entered).toEqual(['preflight', 'power', 'brom']);
  });

  it('adds up a stage walked twice (a baud fallback runs brom again)', () => {
    const { clock, advance } = manualClock('brom');
    advance(100);
    clock.enter('baud');
    advance(40);
    clock.stop();
    clock.enter('brom');
    advance(250);
    clock.stop();
    clock.stop();
    expect(clock.timings()).toEqual({ brom: 350, baud: 40 });
  });
});
