// runEntryPoint and installShutdown in real child processes (a fixture entry run through tsx):
// exit codes, what reaches stderr, and the order of the shutdown log lines. Real Redis is not
// needed; "Redis is down" is a closed port. Nothing is mocked.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  repoRoot,
  startProcess,
  tempDir,
  type RunningProcess,
  type TempDir,
} from '@station/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/entry.ts', import.meta.url));

let traceDir: TempDir;
const started: RunningProcess[] = [];
let runs = 0;
beforeAll(async () => {
  traceDir = await tempDir('runtime-entry');
});
afterEach(async () => {
  for (const proc of started.splice(0)) await proc.release();
});
afterAll(() => traceDir?.dispose());

function startFixture(env: Record<string, string>) {
  // One trace file per run, never reused: the fixture appends to it.
  const trace = traceDir.join(`run-${++runs}.txt`);
  const proc = startProcess('entry fixture', process.execPath, ['--import', 'tsx', fixture], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', FIXTURE_TRACE: trace, ...env },
  });
  started.push(proc);
  /** Resolves once the fixture has started (fails at once if it exits first, or at a deadline). */
  const running = () => proc.waitForLine('"msg":"fixture running"');
  /** The exit code, within the default deadline. */
  const exited = async () => (await proc.waitForExit()).code;
  /**
   * The log lines as "<msg>[ <step>]", sorted: pino writes stdout asynchronously and a line still
   * in flight at process.exit() can land after later ones, so only the trace shows the order.
   */
  const logged = () =>
    proc
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; step?: string })
      .map(({ msg, step }) => (step ? `${msg} ${step}` : msg))
      .sort();
  /** The shutdown steps that ran, in the order they ran. */
  const steps = () => (existsSync(trace) ? readFileSync(trace, 'utf8').split('\n') : []);
  return {
    signal: (signal: NodeJS.Signals) => proc.signal(signal),
    running,
    exited,
    stderr: () => proc.stderr(),
    stdout: () => proc.stdout(),
    logged,
    steps,
  };
}

const ALL_STEPS = ['first', 'broken', 'keep-alive', ''];
const SHUTDOWN_LINES = [
  'shutting down',
  'shutdown step done first',
  'shutdown step failed broken',
  'shutdown step done keep-alive',
  'shutdown complete',
];
const sorted = (lines: string[]) => [...lines].sort();

describe('startup failures a user can fix: one message on stderr, exit 1', () => {
  it('lists the bad variables', async () => {
    const run = startFixture({ SHUTDOWN_TIMEOUT_MS: 'soon', FIXTURE_START: 'sometimes' });
    expect(await run.exited()).toBe(1);
    expect(run.stderr()).toBe(
      'Invalid fixture configuration:\n' +
        '  - SHUTDOWN_TIMEOUT_MS must be a number (got "soon")\n' +
        '  - FIXTURE_START must be one of ok, redis-down, fixable, bug (got "sometimes")\n',
    );
  });

  it('says Redis is not reachable, in one sentence', async () => {
    const run = startFixture({ FIXTURE_START: 'redis-down' });
    expect(await run.exited()).toBe(1);
    expect(run.stderr()).toBe(
      'Redis is not reachable at 127.0.0.1:1 (REDIS_URL): start the local service (`service redis-server start`) or set REDIS_URL to where it runs.\n',
    );
    expect(run.stdout()).toBe('');
    expect(run.steps()).toEqual([]);
  });

  it('prints the message of an error class the app declared fixable', async () => {
    const run = startFixture({ FIXTURE_START: 'fixable' });
    expect(await run.exited()).toBe(1);
    expect(run.stderr()).toBe('The fixture jig is missing: plug it in.\n');
  });

  it('shuts down what started before reporting a failure after start', async () => {
    const run = startFixture({ FIXTURE_AFTER: 'port-busy' });
    expect(await run.exited()).toBe(1);
    expect(run.stderr()).toBe('Port 1 is already in use.\n');
    expect(run.steps()).toEqual(ALL_STEPS);
    expect(run.logged()).toEqual(sorted(SHUTDOWN_LINES));
  });
});

describe('other failures are not hidden', () => {
  it('lets an unexpected start error through with its stack', async () => {
    const run = startFixture({ FIXTURE_START: 'bug' });
    expect(await run.exited()).toBe(1);
    expect(run.stderr()).toContain('Error: a bug in start()');
    expect(run.stderr()).toMatch(/\n\s+at /);
  });

  it.each([
    ['throw', 'uncaughtException'],
    ['reject', 'unhandledRejection'],
  ])('on a crash (%s) logs it, shuts down in order and exits 1', async (after, event) => {
    const run = startFixture({ FIXTURE_AFTER: after });
    expect(await run.exited()).toBe(1);
    expect(run.steps()).toEqual(ALL_STEPS);
    expect(run.logged()).toEqual(sorted(['fixture running', 'crashed', ...SHUTDOWN_LINES]));
    expect(run.stdout()).toContain(`"event":"${event}"`);
  });
});

describe('ordered shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s runs every step once, in order, past a failing one, and exits 0',
    async (signal) => {
      const run = startFixture({});
      await run.running();
      run.signal(signal);
      expect(await run.exited()).toBe(0);
      expect(run.steps()).toEqual(ALL_STEPS);
      expect(run.logged()).toEqual(sorted(['fixture running', ...SHUTDOWN_LINES]));
      expect(run.stdout()).toContain(`"reason":"${signal}"`);
      expect(run.stdout()).toContain('"message":"this step broke"');
    },
  );

  it('exits 1 at the hard deadline when a step never finishes', async () => {
    const run = startFixture({ FIXTURE_STUCK_STEP: 'yes', SHUTDOWN_TIMEOUT_MS: '300' });
    await run.running();
    run.signal('SIGTERM');
    expect(await run.exited()).toBe(1);
    expect(run.steps()).toEqual(['first', 'broken', 'stuck', '']);
    expect(run.logged()).toEqual(
      sorted([
        'fixture running',
        'shutting down',
        'shutdown step done first',
        'shutdown step failed broken',
        'shutdown deadline passed, exiting',
      ]),
    );
  });
});
