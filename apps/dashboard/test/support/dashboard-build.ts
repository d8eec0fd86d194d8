import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DASHBOARD_DIR = resolve(import.meta.dirname, '../..');
export const REPO_ROOT = resolve(DASHBOARD_DIR, '../..');
export const NEXT_BIN = join(REPO_ROOT, 'node_modules/.bin/next');

/** Everything a build depends on that we edit: a newer file here makes the build stale. */
const BUILD_INPUTS = [
  join(DASHBOARD_DIR, 'src'),
  join(DASHBOARD_DIR, 'next.config.ts'),
  join(DASHBOARD_DIR, 'package.json'),
  join(DASHBOARD_DIR, 'tsconfig.json'),
  join(REPO_ROOT, 'packages/contracts/src'),
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

  const child = spawn('flock', ['/tmp/flashstation-dashboard-build.lock', NEXT_BIN, 'build'], {
    cwd: DASHBOARD_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${output.slice(-10_000)}`);
  return { built: true };
}
