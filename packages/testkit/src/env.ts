// The only place the test kit reads its own environment: what child processes inherit, and the
// suites' own switches (docs/reliability.md).

/** PATH and HOME of the test process; a child gets these and nothing else unless told. */
export function baseChildEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
}

/**
 * A child's environment as Node's typings want it. Next.js declares NODE_ENV required in
 * NodeJS.ProcessEnv, which a plain record of variables never satisfies under the dashboard's
 * tsconfig; the variables themselves are all a child needs.
 */
export const asProcessEnv = (vars: Record<string, string | undefined>): NodeJS.ProcessEnv =>
  vars as NodeJS.ProcessEnv;

/**
 * RELIABILITY_FULL=1 (`npm run test:reliability`): fault loops and fuzz properties run their full
 * counts; `npm test` runs a few of each.
 */
export const FULL_RUN = process.env.RELIABILITY_FULL === '1';

/** FUZZ_SEED / FUZZ_PATH: replay one fuzz counterexample (docs/reliability.md "Fuzzing"). */
export const fuzzReplay = {
  seed: process.env.FUZZ_SEED,
  path: process.env.FUZZ_PATH,
};

/**
 * Git dirs of fetched public repositories that conformance tests read (never committed; a test
 * skips with a message when its mirror is absent). PYMTKFLASHER_GIT_DIR / REPHONE_GIT_DIR
 * override the /work/.mirror defaults.
 */
export const publicMirrors = {
  pymtkflasher: process.env.PYMTKFLASHER_GIT_DIR ?? '/work/.mirror/waybyte+tool-pymtkflasher/repo',
  rephone: process.env.REPHONE_GIT_DIR ?? '/work/.mirror/loboris+RePhone_on_Linux/repo/.git',
};
