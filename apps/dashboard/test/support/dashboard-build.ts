import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { baseChildEnv, repoRoot, startProcess } from '@station/testkit';

export const DASHBOARD_DIR = join(repoRoot, 'apps/dashboard');
export const NEXT_BIN = join(repoRoot, 'node_modules/.bin/next');
const BUILD_LOCK = '/tmp/flashstation-dashboard-build.lock';
/** A cold build on a loaded two-core machine, plus waiting for another run's build to finish. */
const BUILD_TIMEOUT_MS = 600_000;

/** Everything a build depends on that we edit: a newer file here makes the build stale. */
const BUILD_INPUTS = [
  join(DASHBOARD_DIR, 'src'),
  join(DASHBOARD_DIR, 'next.config.ts'),
  join(DASHBOARD_DIR, 'package.json'),
  join(DASHBOARD_DIR, 'tsconfig.json'),
  join(repoRoot, 'packages/contracts/src'),
];

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestMtimeMs(join(path, entry))),
    stat.mtimeMs,
  );
}

/**
 * Runs `next build` unless `.next` is newer than every input (the same rule `npm start` uses), so a
 * test run builds at most once. flock keeps two concurrent test runs from writing `.next` at once.
 */
export async function ensureDashboardBuild(): Promise<{ built: boolean }> {
  const buildId = join(DASHBOARD_DIR, '.next/BUILD_ID');
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (builtAt > Math.max(...BUILD_INPUTS.map(newestMtimeMs))) return { built: false };

  const build = startProcess('next build', 'flock', [BUILD_LOCK, NEXT_BIN, 'build'], {
    cwd: DASHBOARD_DIR,
    env: {
      ...baseChildEnv(),
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  });
  try {
    const { code, signal } = await build.waitForExit(BUILD_TIMEOUT_MS);
    if (code !== 0) {
      throw new Error(
        `next build failed (exit ${code}, signal ${signal}):\n${build.output().slice(-10_000)}`,
      );
    }
  } finally {
    await build.release();
  }
  return { built: true };
}
