// How many inputs each fuzz property tries and from which seed (docs/reliability.md "Fuzzing"):
// a few dozen per route in `npm test` and CI, the full counts with RELIABILITY_FULL=1
// (`npm run test:reliability`). The seed is fixed, so a failure replays: fast-check prints the seed
// and path of the counterexample; FUZZ_SEED and FUZZ_PATH run exactly that one again.
import { FULL_RUN, fuzzReplay } from '@station/testkit';
import type { Parameters } from 'fast-check';

/** Today's default seed; any other (FUZZ_SEED) explores new inputs. */
export const FUZZ_SEED = Number(fuzzReplay.seed ?? 20261127);
const FUZZ_PATH = fuzzReplay.path;

/** fast-check's parameters for a property tried `ciRuns` times (`fullRuns` in the full run). */
export function fuzzRuns<T>(ciRuns: number, fullRuns = ciRuns * 10): Parameters<T> {
  return {
    seed: FUZZ_SEED,
    numRuns: FULL_RUN ? fullRuns : ciRuns,
    ...(FUZZ_PATH ? { path: FUZZ_PATH } : {}),
    // Each run is real HTTP against the real server: shrink, but not for ever.
    maxSkipsPerRun: 100,
  };
}
