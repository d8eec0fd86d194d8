// The module's own time (module-clock.ts): answers timed from the event that caused them, never
// before it, and events handled in the order of their times whatever order this process learns
// of them in. A manual clock stands for this process's: it is told when to move.
import { describe, expect, it } from 'vitest';
import { VirtualModule } from '../device/virtual-module';
import { ManualClock } from './clock';
import { ModuleClock } from './module-clock';

function moduleOnHand() {
  const clock = new ManualClock();
  const sent: { bytes: number[]; at: number }[] = [];
  const module = new VirtualModule({ imei: '861359030299596', revision: 'MC60CAR01A10', clock });
  module.attach({
    send: (bytes, at) => sent.push({ bytes: Array.from(bytes), at }),
    setBaud: () => undefined,
    drop: () => undefined,
  });
  return { clock, sent, module };
}

describe('ModuleClock', () => {
  it('never goes back, and handles a timer at its due time however late it fires', () => {
    const base = new ManualClock();
    const clock = new ModuleClock(base);
    clock.enter(10);
    clock.enter(4); // an event met late: the module's time stays where it is
    expect(clock.now()).toBe(10);
    const handledAt: number[] = [];
    clock.setTimer(() => handledAt.push(clock.now()), 5);
    expect(clock.nextDue()).toBe(15);
    base.advance(40); // this process wakes long after
    expect(handledAt).toEqual([15]);
    expect(clock.nextDue()).toBe(Number.POSITIVE_INFINITY);
  });

  it('a cancelled timer no longer holds anything back', () => {
    const clock = new ModuleClock(new ManualClock());
    clock.enter(0);
    const cancel = clock.setTimer(() => undefined, 5);
    cancel();
    expect(clock.nextDue()).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('a module that takes host bytes before they have arrived', () => {
  it('answers at their arrival time, not when it was handed them', () => {
    const { clock, sent, module } = moduleOnHand();
    module.powerOn();
    clock.advance(10);
    // Handed at 10 ms, arriving at 12.5 ms by the line's model.
    module.onBytes(Uint8Array.of(0xa0), 12.5);
    expect(sent).toEqual([{ bytes: [0x5f], at: 12.5 }]);
  });

  it('does not answer a start byte that arrives after its BROM window closed, though handed before', () => {
    const { clock, sent, module } = moduleOnHand();
    module.powerOn(); // window: 300 ms
    clock.advance(299);
    module.onBytes(Uint8Array.of(0xa0), 300.5);
    expect(sent).toEqual([]); // held for the window's timer, due first
    clock.advance(101); // the window closed at 300 ms: it boots its firmware (100 ms)
    expect(sent).toEqual([]);
    expect(module.state).toBe('at');
  });

  it('answers one handed as early that arrives inside the window', () => {
    const { clock, sent, module } = moduleOnHand();
    module.powerOn();
    clock.advance(299);
    module.onBytes(Uint8Array.of(0xa0), 299.5);
    expect(sent).toEqual([{ bytes: [0x5f], at: 299.5 }]);
    clock.advance(200); // answered in the window: it stays in the BROM
    expect(module.state).toBe('brom');
  });
});
