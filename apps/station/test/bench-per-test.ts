// The bench a flash test file opens per test, closed after each test whatever happened: the
// hook every emulator test file needs, in one place.
import { afterEach } from 'vitest';
import { openBench, type Bench, type BenchOptions } from './flash-helpers';

export interface BenchPerTest {
  /** Opens this test's bench (see openBench); it is closed after the test. */
  open(options?: BenchOptions): Promise<Bench>;
  /** The bench the running test opened. */
  readonly current: Bench;
}

/** Registers the file's afterEach and returns the handle its tests open benches through. */
export function benchPerTest(): BenchPerTest {
  let bench: Bench | undefined;
  afterEach(async () => {
    await bench?.close();
    bench = undefined;
  });
  return {
    async open(options) {
      bench = await openBench(options);
      return bench;
    },
    get current() {
      if (!bench) throw new Error('no bench is open in this test');
      return bench;
    },
  };
}
