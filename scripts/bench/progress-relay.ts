// Progress through the server's relay (issue #12 §5): N slots of one station publish signed
// progress at the station's own rate (its throttle, PROGRESS_INTERVAL_MS) with the station's own
// publisher (apps/station progress-publisher.ts, a credential issued by the server's CLI) into the
// real server process, and a socket.io client watching the station as a dashboard does stamps each
// `flash:progress`. Latency = the publisher's call (its batch window included) → that event at the
// client (one process, one clock). Each slot walks flashes of a few stages with a rising percent, so every event is
// identified by attempt, stage and percent; events not delivered within the drain deadline count
// as lost.
// Before vs after side by side: `--roots a,b` runs a server from each worktree (same packages,
// e.g. a worktree of the base commit whose node_modules links to this one's; its server must take
// this publisher's batches, so from docs/speed-work.md §23 on), interleaved per
// round: a, b, a, b… Load average is read at each run's start; the server's CPU (cores over the
// publishing and draining) from /proc. `--busy K` adds K spinning processes for the whole run, as
// the station agent and its jigs take the line PC's cores (docs/benchmarks.md "Slots through the
// whole line": the server had a quarter of a core there).
// Usage: npx tsx scripts/bench/progress-relay.ts [--slots 16,64,128] [--rounds 3]
//        [--seconds 10] [--roots /work/before,/work/after] [--busy 0]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  stationProgressStream,
  type FlashProgressBatch,
  type FlashProgressEvent,
  type FlashStage,
} from '@station/contracts';
import { createTestDatabase } from '@station/db/testing';
import { createLogger } from '@station/logger';
import { createRedis } from '@station/runtime';
import {
  baseChildEnv,
  deleteKeys,
  freePort,
  LOCAL_REDIS_URL,
  provisionStation,
  repoRoot,
  signIn,
  startProcess,
  TEST_DEMO_PASSWORD,
  uniqueImei,
  uniquePrefix,
  waitFor,
} from '@station/testkit';
import { io } from 'socket.io-client';
import { createProgressPublisher } from '../../apps/station/src/jobs/progress-publisher';
import { PROGRESS_INTERVAL_MS } from '../../apps/station/src/jobs/progress-throttle';
import { groupCpuSeconds } from './lib/group-cpu';
import { formatTable, isMain, listArg, numberArg, type Row } from './lib/bench-util';
import { percentile, spread } from './lib/stats';

/** The stages a flash reports progress in, each walked 0 → 100 % (a stage change per step). */
const STAGES: FlashStage[] = ['brom', 'da_upload', 'format', 'write', 'verify'];
const PERCENT_STEP = 10;
const DRAIN_DEADLINE_MS = 60_000;

interface RunResult {
  root: string;
  slots: number;
  round: number;
  load: string;
  sent: number;
  lost: number;
  latencyMs: number[];
  /** The server's CPU seconds per wall second from the first publish to the drain. */
  serverCores: number;
}

/** One run: a fresh server from `root`, N slots publishing for `seconds`, then the drain. */
async function runOnce(root: string, slots: number, seconds: number): Promise<RunResult> {
  const load = (await readFile('/proc/loadavg', 'utf8')).split(' ')[0]!;
  const stationId = `bench-${Math.random().toString(36).slice(2, 8)}`;
  const prefix = uniquePrefix('bench-progress');
  const db = await createTestDatabase();
  const redis = createRedis(LOCAL_REDIS_URL, createLogger({ name: 'bench', level: 'warn' }), 'b');
  const credential = await provisionStation({
    stationId,
    prefix,
    redisUrl: LOCAL_REDIS_URL,
    databaseUrl: db.url,
  });
  const port = await freePort();
  const server = startProcess(
    `server (${root})`,
    process.execPath,
    ['--import', 'tsx', join(root, 'apps/server/src/server.ts')],
    {
      cwd: root,
      env: {
        ...baseChildEnv(),
        LOG_LEVEL: 'info',
        DATABASE_URL: db.url,
        REDIS_URL: LOCAL_REDIS_URL,
        REDIS_PREFIX: prefix,
        HOST: '127.0.0.1',
        SERVER_PORT: String(port),
        DEMO_PASSWORD: TEST_DEMO_PASSWORD,
      },
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const sentAt = new Map<string, number>();
  const arrived: number[] = [];
  let lost = 0;
  const socket = io(baseUrl, { transports: ['websocket'], autoConnect: false });
  try {
    await server.waitForLine('"msg":"Server listening', { timeoutMs: 120_000 });
    const cookie = await signIn(baseUrl, 'supervisor');
    socket.io.opts.extraHeaders = { cookie };
    // A station batch per event; a server from before batches (`--roots`) sends single events.
    socket.on('flash:progress', (payload: FlashProgressBatch | FlashProgressEvent) => {
      const now = performance.now();
      for (const event of 'events' in payload ? payload.events : [payload]) {
        const key = `${event.attemptId}/${event.stage}/${event.percent}`;
        const at = sentAt.get(key);
        if (at === undefined) continue;
        sentAt.delete(key);
        arrived.push(now - at);
      }
    });
    socket.connect();
    await waitFor('socket connected', () => socket.connected, { timeoutMs: 30_000 });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('station:watch unanswered')), 10_000);
      // The room is joined before the line state is read: a station that never said hello
      // (this bench has no agent) is "not known" to the answer but its events reach the room.
      socket.emit('station:watch', { v: 1, stationId }, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    // The server follows the station from its stored credential; wait for its progress group.
    const streamKey = stationProgressStream(prefix, stationId);
    const publish = createProgressPublisher({
      redis,
      prefix,
      stationId,
      signingKey: credential.signingKey,
      logger: createLogger({ name: 'bench-publisher', level: 'warn' }),
    });
    // Its group starts at `$`: what is published before the group exists is not read.
    await waitFor(
      `the server's group on ${streamKey}`,
      async () =>
        ((await redis.xinfo('GROUPS', streamKey).catch(() => [])) as unknown[]).length > 0,
      { timeoutMs: 30_000 },
    );

    const cpuBefore = (await groupCpuSeconds([server.pid]))[0]!;
    const startedAt = performance.now();
    // Every slot ticks at the station's rate, phases spread over the interval as real flashes are.
    const until = performance.now() + seconds * 1000;
    const slotState = Array.from({ length: slots }, () => ({
      attemptId: randomUUID(),
      imei: uniqueImei(),
      step: 0,
    }));
    const steps = STAGES.length * (100 / PERCENT_STEP + 1);
    const timers = slotState.map((state, slot) =>
      setTimeout(
        () => {
          const tick = () => {
            if (performance.now() >= until) return clearInterval(interval);
            if (state.step === steps) Object.assign(state, { attemptId: randomUUID(), step: 0 });
            const stage = STAGES[Math.floor(state.step / (100 / PERCENT_STEP + 1))]!;
            const percent = (state.step % (100 / PERCENT_STEP + 1)) * PERCENT_STEP;
            state.step += 1;
            sentAt.set(`${state.attemptId}/${stage}/${percent}`, performance.now());
            publish({
              v: 1,
              stationId,
              attemptId: state.attemptId,
              slot: slot + 1,
              imei: state.imei,
              stage,
              percent,
              bytes: percent * 1000,
              totalBytes: 100_000,
            });
          };
          const interval = setInterval(tick, PROGRESS_INTERVAL_MS);
          tick();
        },
        Math.floor((slot * PROGRESS_INTERVAL_MS) / slots),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000 + PROGRESS_INTERVAL_MS));
    timers.forEach(clearTimeout);
    const sent = arrived.length + sentAt.size;
    await waitFor('every event delivered', () => sentAt.size === 0, {
      timeoutMs: DRAIN_DEADLINE_MS,
    }).catch(() => {
      lost = sentAt.size;
    });
    const serverCores =
      ((await groupCpuSeconds([server.pid]))[0]! - cpuBefore) /
      ((performance.now() - startedAt) / 1000);
    return { root, slots, round: 0, load, sent, lost, latencyMs: arrived, serverCores };
  } finally {
    socket.disconnect();
    await server.stop({ timeoutMs: 15_000 }).catch(() => server.kill());
    redis.disconnect();
    await db.drop().catch(() => {});
    await deleteKeys(prefix, LOCAL_REDIS_URL).catch(() => {});
  }
}

export async function benchProgressRelay(options: {
  slotCounts: number[];
  rounds: number;
  seconds: number;
  roots: string[];
}): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const slots of options.slotCounts)
    for (let round = 1; round <= options.rounds; round++)
      for (const root of options.roots) {
        const result = { ...(await runOnce(root, slots, options.seconds)), round };
        results.push(result);
        const { latencyMs: l } = result;
        console.error(
          `${root} ${slots} slots round ${round} load ${result.load}: p50 ${percentile(l, 50).toFixed(0)} p95 ${percentile(l, 95).toFixed(0)} max ${Math.max(...l).toFixed(0)} ms, ${result.sent} sent, ${result.lost} lost, server ${result.serverCores.toFixed(2)} cores`,
        );
      }
  return results;
}

function summarise(results: RunResult[]): Row[] {
  const rows: Row[] = [];
  const three = (values: number[]) => {
    const s = spread(values);
    return `${s.min.toFixed(0)} / ${s.median.toFixed(0)} / ${s.max.toFixed(0)}`;
  };
  const keys = [...new Set(results.map((r) => `${r.slots}\t${r.root}`))];
  for (const key of keys) {
    const runs = results.filter((r) => `${r.slots}\t${r.root}` === key);
    const [slots, root] = key.split('\t');
    rows.push({
      slots: Number(slots),
      root: root!,
      'loads at start': runs.map((r) => r.load).join(', '),
      sent: runs.map((r) => r.sent).join(', '),
      'p50 ms min / med / max': three(runs.map((r) => percentile(r.latencyMs, 50))),
      'p95 ms min / med / max': three(runs.map((r) => percentile(r.latencyMs, 95))),
      'max ms min / med / max': three(runs.map((r) => Math.max(...r.latencyMs))),
      'server cores': runs.map((r) => r.serverCores.toFixed(2)).join(', '),
      lost: runs.map((r) => r.lost).join(', '),
    });
  }
  return rows;
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const rootsAt = args.indexOf('--roots');
  const roots = rootsAt >= 0 ? String(args[rootsAt + 1]).split(',') : [repoRoot];
  const spinners = Array.from({ length: numberArg(args, 'busy', 0) }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  try {
    const results = await benchProgressRelay({
      slotCounts: listArg(args, 'slots', [16, 64, 128]),
      rounds: numberArg(args, 'rounds', 3),
      seconds: numberArg(args, 'seconds', 10),
      roots,
    });
    console.log(formatTable(summarise(results)));
  } finally {
    for (const spinner of spinners) spinner.kill('SIGKILL');
  }
  process.exit(0);
}
