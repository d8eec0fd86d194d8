// Vitest global setup of the dashboard project: `next build` once, one Chromium and one shared line
// (server, dashboard, station agent with an emulated jig) for every browser test file.
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_LAUNCH } from './browser-launch';
import { ensureDashboardBuild } from './dashboard-build';
import { jigDirOf, startJigStation, startLineStack, type LineStack } from './line-stack';
import type { RunningProcess } from './processes';
import { uniqueName } from './services';
import type { SharedLine } from './shared-line';

/** Operator tests use slots 1–3, line-state tests 4–7. */
const SHARED_SLOTS = 7;
const STATION_UP_MS = 60_000;

/**
 * A run of unit tests only (a file filter that names no browser test) needs none of this. Vitest
 * keeps the command line's file filters on an internal field; without it, everything starts.
 */
async function runsBrowserTests(project: TestProject): Promise<boolean> {
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  const { testFiles } = await project.globTestFiles(filters ?? []);
  return testFiles.some((file) => file.endsWith('.browser.test.ts'));
}

function teeOutput(proc: RunningProcess, file: string): void {
  const write = (chunk: Buffer) => appendFileSync(file, chunk);
  proc.child.stdout?.on('data', write);
  proc.child.stderr?.on('data', write);
}

async function waitForStation(line: LineStack, stationId: string, station: RunningProcess) {
  const deadline = Date.now() + STATION_UP_MS;
  while (Date.now() < deadline) {
    if (station.hasExited()) throw new Error(`station ${stationId} exited:\n${station.output()}`);
    const health = (await fetch(`${line.serverUrl}/api/health`)
      .then((response) => response.json())
      .catch(() => null)) as { stations?: { stationId: string; connected: boolean }[] } | null;
    if (health?.stations?.some((s) => s.stationId === stationId && s.connected)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `station ${stationId} did not show as connected on the server within ${STATION_UP_MS} ms:\n${station.output()}`,
  );
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  if (!(await runsBrowserTests(project))) return;
  await ensureDashboardBuild();
  const workDir = await mkdtemp(join(tmpdir(), 'dashboard-line-'));
  const browser = await chromium.launchServer(CHROMIUM_LAUNCH);
  let line: LineStack | undefined;
  const teardown = async () => {
    const failures: unknown[] = [];
    await line?.stop().catch((error: unknown) => failures.push(error));
    await browser.close().catch((error: unknown) => failures.push(error));
    await rm(workDir, { recursive: true, force: true });
    if (failures.length > 0) throw new AggregateError(failures, 'dashboard test teardown failed');
  };
  try {
    line = await startLineStack('dashline');
    const logs = { server: join(workDir, 'server.log'), station: join(workDir, 'station.log') };
    teeOutput(line.server(), logs.server);
    const stationId = uniqueName('line-station').replace(/_/g, '-');
    const stationDir = join(workDir, 'station');
    const station = line.track(
      startJigStation({
        stationId,
        redisPrefix: line.redisPrefix,
        slots: SHARED_SLOTS,
        workDir: stationDir,
      }),
    );
    teeOutput(station, logs.station);
    await waitForStation(line, stationId, station);
    const shared: SharedLine = {
      serverUrl: line.serverUrl,
      dashboardUrl: line.dashboardUrl,
      stationId,
      slots: SHARED_SLOTS,
      jigDir: jigDirOf(stationDir),
      logs,
    };
    project.provide('sharedLine', shared);
    project.provide('browserWsEndpoint', browser.wsEndpoint());
  } catch (error) {
    await teardown().catch(() => {});
    throw error;
  }
  return teardown;
}
