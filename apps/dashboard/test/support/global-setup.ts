// Vitest global setup of the dashboard project: `next build` once, one Chromium and one shared line
// (server, dashboard, station agent with an emulated jig) for every browser test file.
import { appendFileSync } from 'node:fs';
import {
  tempDir,
  uniquePrefix,
  waitFor,
  WaitAbortedError,
  type RunningProcess,
  type StationApp,
} from '@station/testkit';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_LAUNCH } from './browser-launch';
import { ensureDashboardBuild } from './dashboard-build';
import { startJigStation, startLineStack, type LineStack } from './line-stack';
import { asUser, signInThroughApi } from './people';
import type { SharedLine } from './shared-line';

/** Operator tests use slots 1–3, line-state tests 4–7, sign-in tests 8. */
const SHARED_SLOTS = 8;
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

/** Copies what `proc` printed so far and everything it prints from now on to `file`. */
function teeOutput(proc: RunningProcess, file: string): void {
  appendFileSync(file, proc.output());
  const write = (chunk: Buffer) => appendFileSync(file, chunk);
  proc.child.stdout?.on('data', write);
  proc.child.stderr?.on('data', write);
}

async function waitForStation(line: LineStack, stationId: string, station: StationApp) {
  await waitFor(
    `station ${stationId} to show as connected on the server`,
    async () => {
      if (!station.running()) {
        throw new WaitAbortedError(`station ${stationId} exited:\n${station.current.output()}`);
      }
      const health = (await (await fetch(`${line.serverUrl}/api/health`)).json()) as {
        stations?: { stationId: string; connected: boolean }[];
      };
      return health.stations?.some((s) => s.stationId === stationId && s.connected);
    },
    { timeoutMs: STATION_UP_MS, intervalMs: 250 },
  );
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  if (!(await runsBrowserTests(project))) return;
  await ensureDashboardBuild();
  const logDir = await tempDir('dashboard-line');
  const browser = await chromium.launchServer(CHROMIUM_LAUNCH);
  let line: LineStack | undefined;
  const teardown = async () => {
    const failures: unknown[] = [];
    await line?.stop().catch((error: unknown) => failures.push(error));
    await browser.close().catch((error: unknown) => failures.push(error));
    await logDir.dispose();
    if (failures.length > 0) throw new AggregateError(failures, 'dashboard test teardown failed');
  };
  try {
    line = await startLineStack('dashline');
    const logs = { server: logDir.join('server.log'), station: logDir.join('station.log') };
    teeOutput(line.server.current, logs.server);
    const stationId = uniquePrefix('line-station');
    const station = line.track(await startJigStation(line, { stationId, slots: SHARED_SLOTS }));
    teeOutput(station.current, logs.station);
    await waitForStation(line, stationId, station);
    const shared: SharedLine = {
      // One session for every file (sign-ins are rate-limited per IP; every test is 127.0.0.1).
      supervisor: await signInThroughApi(line.serverUrl, asUser('supervisor')),
      serverUrl: line.serverUrl,
      dashboardUrl: line.dashboardUrl,
      redisPrefix: line.redisPrefix,
      databaseUrl: line.databaseUrl,
      stationId,
      slots: SHARED_SLOTS,
      jigDir: station.jigDir,
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
