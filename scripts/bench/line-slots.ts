// Slots flashing real jobs through the whole line (issue #12 §4.3–4.5): the real server, BullMQ
// on Redis, the real station agent with its emulated jig (in the agent's process, as
// EMULATOR=true runs it) and a socket.io client watching as a dashboard does. Every module is
// scanned through POST /api/flash-jobs at once; per-module time = scan → `flash:result` at the
// client, aggregate = modules / (first scan → last result).
// Scan → first byte: the station journals an attempt's first stage (preflight, which opens the
// port and sends the first AT) as it enters it; the bench sees the line by inotify. Progress →
// browser: that journal line → the first `flash:progress` of the same attempt and stage at the
// socket.io client. Both are upper bounds by one fsync (the journal syncs each line).
// Where the time goes: scan → the server's 202, 202 → result (the module once its job is queued;
// its 1-slot ratio is the station's and relay's share), the station agent's event-loop delay
// (p99 / max per round, from its /metrics), and CPU cores used per process group (server, station
// agent with an in-process jig, out-of-process jigs; /proc) over the rounds. A failure the server
// retries is followed to the retry's result (the module's time includes it, counted in `retried`).
// Rig: `--rig internal` (default) runs the emulated jig inside the station agent's process
// (EMULATOR=true); `--rig external --rig-processes K` runs K `flashstation emulate` processes
// (slots split among them) and the station on real-port settings (EMULATOR=false, SERIAL_PORTS
// to their ptys, SLOT_POWER=jig), so the station is measured as on a PC with real adapters.
// Usage: npx tsx scripts/bench/line-slots.ts [--slots 1,16,64,128] [--rounds 3] [--baud 921600]
//        [--rom-kib 256 --viva-kib 64 | --real-size] [--timeout-s 900]
//        [--rig internal|external] [--rig-processes 2] [--station-cpu-prof DIR]
//        [--server-cpu-prof DIR] [--jig-cpu-prof DIR] [--built] [--scan-every-ms 0]
//        [--modules-per-slot 1]
// --built: the server, the station and the jigs run the bundles production runs (built first with
// scripts/build-bundles.mjs, as `npm run build` does), not the sources through tsx.
import { execFileSync } from 'node:child_process';
import { watch } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { open, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSyntheticDa, makeSyntheticPackage, MC60_FLASH_IDS } from '@station/mtk';
import { FLASH_STAGES, type FlashProgressEvent, type FlashResultEvent } from '@station/contracts';
import { freePort, waitFor } from '@station/testkit';
import { startLine, type Line } from '../../reliability/support/line';
import { startExternalJigs, type ExternalJigs } from '../../apps/station/test/external-jigs';
import { groupCpuSeconds, metricValue } from './lib/group-cpu';
import { finalResult, scanSlot } from './lib/line-scan';
import { formatTable, isMain, listArg, numberArg, withTempDir, type Row } from './lib/bench-util';
import {
  modulesPerHour,
  percentile,
  REAL_SIZE_PACKAGE,
  spread,
  stageMedians,
  steadyModulesPerHour,
} from './lib/stats';

export interface LineSlotsOptions {
  slotCounts: number[];
  baud: number;
  romBytes: number;
  vivaBytes: number;
  /** Rounds of every slot scanned at once, one after another on the same line. */
  rounds: number;
  /** Whole-line deadline per slot count (ms): a stuck flash fails the row, not the run. */
  timeoutMs: number;
  /** Where the emulated modules run: in the station's process, or in `rigProcesses` of their own. */
  rig: 'internal' | 'external';
  rigProcesses: number;
  /** A folder for V8 CPU profiles of the station agent (`--cpu-prof`), written when it exits. */
  stationCpuProfDir?: string;
  /** The same for the server. */
  serverCpuProfDir?: string;
  /** The same for every jig process (`--rig external`). */
  jigCpuProfDir?: string;
  /** Run the production bundles (built once before the first run), not tsx. */
  built?: boolean;
  /**
   * Scan slot k at k × this (ms) after the first, as an operator or a loader works along the jig;
   * 0 (default): every slot at once, the worst case the §5 targets are measured on. A module's time
   * still runs from its own scan; the round's wall time (and modules per hour) includes the spread.
   */
  scanEveryMs?: number;
  /**
   * Modules each slot flashes in a round, the next scanned as the last one's result arrives, as a
   * loader refills a slot (default 1). From 2 on, the row also gives `steadyModulesPerHour`.
   */
  modulesPerSlot?: number;
}

/** Builds the server's and the station's bundles (the jigs run the station's CLI bundle). */
function buildBundles(): void {
  const script = fileURLToPath(new URL('../build-bundles.mjs', import.meta.url));
  execFileSync(process.execPath, [script, 'server', 'station'], { stdio: 'inherit' });
}

/** Node 20 refuses --cpu-prof in NODE_OPTIONS: a preload runs V8's profiler instead. */
const cpuProfileEnv = (dir: string | undefined, name: string): Record<string, string> =>
  dir
    ? {
        CPU_PROFILE_NAME: name,
        NODE_OPTIONS: `--import ${fileURLToPath(new URL('./lib/cpu-profile-preload.mjs', import.meta.url))}`,
        CPU_PROFILE_DIR: dir,
      }
    : {};

const PACKAGE_ID = 'bench-MC60CAR01A13';
const FIRST_LINE_STAGE = 'preflight';

interface JournalSeen {
  /** `${attemptId}/${stage}` → when the bench saw the journal line. */
  stageSeenAt: Map<string, number>;
  stop(): void;
}

/** Follows the station's journal (appended, fsync'd) and timestamps each stage line. */
async function followJournal(path: string): Promise<JournalSeen> {
  await writeFile(path, '', { flag: 'a' });
  const file = await open(path, 'r');
  const stageSeenAt = new Map<string, number>();
  let offset = 0;
  let tail = '';
  let reading: Promise<void> | undefined;
  let stopped = false;
  const readAll = async () => {
    try {
      while (!stopped) {
        const buffer = Buffer.alloc(64 * 1024);
        const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) break;
        const now = performance.now();
        offset += bytesRead;
        const lines = (tail + buffer.subarray(0, bytesRead).toString()).split('\n');
        tail = lines.pop() ?? '';
        for (const line of lines) {
          const record = JSON.parse(line) as { t: string; attemptId?: string; stage?: string };
          if (record.t === 'stage') {
            const key = `${record.attemptId}/${record.stage}`;
            if (!stageSeenAt.has(key)) stageSeenAt.set(key, now);
          }
        }
      }
    } finally {
      reading = undefined;
    }
  };
  const readNew = () => {
    reading ??= readAll();
    return reading;
  };
  const watcher = watch(path, () => void readNew());
  return {
    stageSeenAt,
    // A read still in flight ends before the file closes: a late change event reads nothing.
    stop: () => {
      stopped = true;
      watcher.close();
      void (reading ?? Promise.resolve()).finally(() => file.close());
    },
  };
}

/** Writes the bench package (with the 16 MiB part's id) into a station firmware folder. */
async function writePackage(firmwareDir: string, romBytes: number, vivaBytes: number) {
  const pkg = makeSyntheticPackage({
    revision: 'MC60CAR01A13',
    romSize: romBytes,
    vivaSize: vivaBytes,
    flashIds: [...MC60_FLASH_IDS, { manufacturer: 0xc8, memoryType: 0x60, capacity: 0x18 }],
  });
  const dir = join(firmwareDir, PACKAGE_ID);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, pkg.cfgName), pkg.cfgText);
  for (const [name, data] of Object.entries(pkg.files)) await writeFile(join(dir, name), data);
  // The station's DA_FILE default; an emulated station writes the same one when it is missing.
  await writeFile(join(firmwareDir, 'mt6261_da.bin'), makeSyntheticDa());
}

/** An event list that calls `seen` on every push (the watch client pushes each arrival). */
class Stamped<T> extends Array<T> {
  // map/filter build plain arrays, not another Stamped (whose constructor wants a callback).
  static override get [Symbol.species]() {
    return Array;
  }
  constructor(private readonly seen: (item: T) => void) {
    super();
  }
  override push(...items: T[]): number {
    for (const item of items) this.seen(item);
    return super.push(...items);
  }
}

interface SlotRun {
  slots: number;
  /** Per round, modules an hour while every slot was loaded (`--modules-per-slot` ≥ 2). */
  steadyModulesPerHour: (number | undefined)[];
  perModuleMs: number[];
  /** The server's 202 → the result: the module's time once its job is queued (station + relay). */
  afterQueuedMs: number[];
  wallMs: number;
  scanToFirstByteMs: number[];
  /** Scan → the server's 202 (POST /api/flash-jobs under every slot's scan at once). */
  scanTo202Ms: number[];
  progressToBrowserMs: number[];
  /** The station agent's event-loop delay per round (prom-client's histogram, reset per scrape). */
  loopLagP99Ms: number[];
  loopLagMaxMs: number[];
  /** Each stage's station-measured time (ms) over the passed modules, as stored with the attempt. */
  stageMs: Map<string, number[]>;
  /** CPU cores used on average over the rounds: server, station agent (+ in-process jig), jigs. */
  cores: { server: number; station: number; jigs: number };
  /** Flashes that did not pass, and why (outcome, error, stage × count). */
  failed: number;
  failures: string;
  /** Failures the server's policy retried (the module's time includes the retry). */
  retries: string;
}

const describe = (failures: Map<string, number>): string =>
  [...failures].map(([reason, n]) => `${n}× ${reason}`).join('; ');

/** POST /api/flash-jobs as a scanner does, its times kept; the attempt id. */
async function scan(
  line: Line,
  slot: number,
  options: LineSlotsOptions,
  scannedAt: Map<string, number>,
  answeredMs: number[],
  answeredAt: Map<string, number>,
): Promise<string> {
  const accepted = await scanSlot(line, slot, { packageId: PACKAGE_ID, baud: options.baud });
  answeredMs.push(accepted.answeredAt - accepted.sentAt);
  answeredAt.set(accepted.attemptId, accepted.answeredAt);
  scannedAt.set(accepted.attemptId, accepted.sentAt);
  return accepted.attemptId;
}

async function runSlots(slots: number, options: LineSlotsOptions): Promise<SlotRun> {
  return withTempDir('line-slots-', async (dir) => {
    const firmwareDir = join(dir, 'firmware');
    await writePackage(firmwareDir, options.romBytes, options.vivaBytes);
    const scenario = join(dir, 'scenario.json');
    await writeFile(scenario, JSON.stringify({ defaults: { flashMiB: 16 } }));
    let jigs: ExternalJigs | undefined;
    let line: Line;
    const metricsPort = await freePort();
    // Until the run has passed every module: then the processes' output is kept (below).
    let keepOutput = true;
    try {
      if (options.rig === 'external')
        jigs = await startExternalJigs({
          slots,
          processes: options.rigProcesses,
          dir: join(dir, 'jigs'),
          defaults: { flashMiB: 16 },
          built: options.built ?? false,
          ...(options.jigCpuProfDir ? { env: cpuProfileEnv(options.jigCpuProfDir, 'jig') } : {}),
        });
      line = await startLine({
        built: options.built ?? false,
        slots,
        stationEnv: {
          FIRMWARE_DIR: firmwareDir,
          METRICS_PORT: String(metricsPort),
          ...(jigs ? jigs.stationEnv : { EMULATOR_SCENARIO: scenario }),
          ...cpuProfileEnv(options.stationCpuProfDir, 'station'),
        },
        serverEnv: cpuProfileEnv(options.serverCpuProfDir, 'server'),
      });
    } catch (error) {
      await jigs?.dispose();
      throw error;
    }
    const journal = await followJournal(join(line.dir.path, 'journal.jsonl'));
    // A second dashboard-like client whose event lists stamp each arrival.
    const arrived = new Map<string, number>();
    const stamp = (key: string) => {
      if (!arrived.has(key)) arrived.set(key, performance.now());
    };
    await line.watch(line.server, {
      results: new Stamped<FlashResultEvent>((e) => stamp(`${e.attemptId}/result`)),
      progress: new Stamped<FlashProgressEvent>((e) => stamp(`${e.attemptId}/${e.stage}`)),
    });
    try {
      const scannedAt = new Map<string, number>();
      const answeredAt = new Map<string, number>();
      const attemptIds: string[] = [];
      const passed: { scanId: string; finalId: string }[] = [];
      const retries = new Map<string, number>();
      const failures = new Map<string, number>();
      const scanTo202Ms: number[] = [];
      const loopLagP99Ms: number[] = [];
      const loopLagMaxMs: number[] = [];
      const scrape = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const groups = [line.server.current.pid, line.station.current.pid];
      for (const p of jigs?.processes ?? []) groups.push(p.pid);
      const cpuAt = async () => {
        const [server = 0, station = 0, ...rest] = await groupCpuSeconds(groups);
        return { server, station, jigs: rest.reduce((a, b) => a + b, 0) };
      };
      const cpu = { server: 0, station: 0, jigs: 0 };
      const steadyRate: (number | undefined)[] = [];
      let wallMs = 0;
      // Rounds one after another on the same line, as an operator re-fills a whole jig.
      for (let round = 0; round < options.rounds; round++) {
        await scrape(); // resets the loop-delay histogram: the next scrape covers this round
        const cpuBefore = await cpuAt();
        const started = performance.now();
        // Each slot flashes its modules one after another, the next scanned the moment the last
        // one's result arrives. A failure the server's policy retries (another attempt in the same
        // slot) is followed to the module's last attempt: its result is the module's, and its
        // time counts.
        const flashed = await Promise.all(
          Array.from({ length: slots }, async (_, i) => {
            if (options.scanEveryMs) await delay(i * options.scanEveryMs);
            const modules: { id: string; final: Awaited<ReturnType<typeof finalResult>> }[] = [];
            for (let m = 0; m < (options.modulesPerSlot ?? 1); m++) {
              const id = await scan(line, i + 1, options, scannedAt, scanTo202Ms, answeredAt);
              modules.push({ id, final: await finalResult(line, id, options.timeoutMs) });
            }
            return modules;
          }),
        );
        const ids = flashed.flatMap((modules) => modules.map((m) => m.id));
        const finals = flashed.flatMap((modules) => modules.map((m) => m.final));

        // The stamping client may see a result a moment after the line's own client.
        await waitFor(
          'results at the stamping client',
          () => finals.every((f) => arrived.has(`${f.result.attemptId}/result`)),
          { timeoutMs: 10_000 },
        );
        wallMs +=
          Math.max(...finals.map((f) => arrived.get(`${f.result.attemptId}/result`)!)) - started;
        steadyRate.push(
          steadyModulesPerHour(
            flashed.map((modules) =>
              modules.map((m) => ({
                scannedAt: scannedAt.get(m.id)!,
                resultAt: arrived.get(`${m.final.result.attemptId}/result`)!,
              })),
            ),
          ),
        );
        const metrics = await scrape();
        loopLagP99Ms.push(metricValue(metrics, 'nodejs_eventloop_lag_p99_seconds') * 1000);
        loopLagMaxMs.push(metricValue(metrics, 'nodejs_eventloop_lag_max_seconds') * 1000);
        const cpuAfter = await cpuAt();
        for (const key of ['server', 'station', 'jigs'] as const)
          cpu[key] += cpuAfter[key] - cpuBefore[key];
        // A failed flash is counted and named, never timed as a module done.
        for (const [i, f] of finals.entries()) {
          for (const reason of f.retries) retries.set(reason, (retries.get(reason) ?? 0) + 1);
          if (f.result.outcome === 'passed') {
            passed.push({ scanId: ids[i]!, finalId: f.result.attemptId });
            continue;
          }
          const reason = `${f.result.outcome} ${f.result.errorName ?? ''} at ${f.result.stage}`;
          failures.set(reason, (failures.get(reason) ?? 0) + 1);
        }
        attemptIds.push(...ids);
      }
      if (passed.length === 0) throw new Error(`no flash passed: ${describe(failures)}`);
      const perModuleMs = passed.map(
        (p) => arrived.get(`${p.finalId}/result`)! - scannedAt.get(p.scanId)!,
      );
      const afterQueuedMs = passed.map(
        (p) => arrived.get(`${p.finalId}/result`)! - answeredAt.get(p.scanId)!,
      );
      const scanToFirstByteMs = attemptIds.map((id) => {
        const seen = journal.stageSeenAt.get(`${id}/${FIRST_LINE_STAGE}`);
        if (seen === undefined)
          throw new Error(`attempt ${id}: no ${FIRST_LINE_STAGE} journal line`);
        return seen - scannedAt.get(id)!;
      });
      // Where a module's time goes: the station's own stage timings, as stored with each attempt.
      const stored = await line.db.prisma.flashAttempt.findMany({
        where: { id: { in: passed.map((p) => p.finalId) } },
        select: { stageTimings: true },
      });
      const stageMs = new Map<string, number[]>();
      for (const { stageTimings } of stored)
        for (const [stage, ms] of Object.entries((stageTimings ?? {}) as Record<string, number>)) {
          const list = stageMs.get(stage) ?? [];
          stageMs.set(stage, list);
          list.push(ms);
        }
      const progressToBrowserMs: number[] = [];
      for (const [key, seenAt] of journal.stageSeenAt) {
        const socketAt = arrived.get(key);
        if (socketAt !== undefined) progressToBrowserMs.push(socketAt - seenAt);
      }
      keepOutput = passed.length < attemptIds.length;
      return {
        slots,
        steadyModulesPerHour: steadyRate,
        perModuleMs,
        afterQueuedMs,
        wallMs,
        scanToFirstByteMs,
        scanTo202Ms,
        progressToBrowserMs,
        loopLagP99Ms,
        loopLagMaxMs,
        stageMs,
        cores: {
          server: (cpu.server * 1000) / wallMs,
          station: (cpu.station * 1000) / wallMs,
          jigs: (cpu.jigs * 1000) / wallMs,
        },
        failed: attemptIds.length - passed.length,
        failures: describe(failures),
        retries: describe(retries),
      };
    } finally {
      journal.stop();
      // A module that did not pass, or a run that broke off: what the processes said is the
      // only account of why (the line's folder goes with it).
      if (keepOutput) await keepProcessOutput(slots, line, jigs);
      // V8 writes a CPU profile at exit: a graceful stop, not dispose()'s SIGKILL.
      if (options.stationCpuProfDir) await line.station.stop().catch(() => {});
      if (options.serverCpuProfDir) await line.server.stop().catch(() => {});
      await line.dispose();
      await jigs?.dispose();
    }
  });
}

/** Writes the server's, the station's and the jigs' output to a folder that outlives the run. */
async function keepProcessOutput(slots: number, line: Line, jigs: ExternalJigs | undefined) {
  const dir = join(tmpdir(), `line-slots-${slots}-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'server.log'), line.server.current.output());
  await writeFile(join(dir, 'station.log'), line.station.current.output());
  for (const [i, jig] of (jigs?.processes ?? []).entries())
    await writeFile(join(dir, `jig-${i + 1}.log`), jig.output());
  console.error(`line-slots ${slots}: not every module passed; the processes' output is in ${dir}`);
}

/** One row per slot count; per-module ratio is median per-module time ÷ the 1-slot median. */
export async function measureLineSlots(options: LineSlotsOptions): Promise<Row[]> {
  const rows: Row[] = [];
  let singleMedian: number | undefined;
  let singleQueuedMedian: number | undefined;
  if (options.built) buildBundles();
  for (const slots of options.slotCounts) {
    try {
      const run = await runSlots(slots, options);
      const perModule = spread(run.perModuleMs);
      singleMedian ??= slots === 1 ? perModule.median : undefined;
      const queued = spread(run.afterQueuedMs);
      singleQueuedMedian ??= slots === 1 ? queued.median : undefined;
      const r = (v: number) => Math.round(v);
      rows.push({
        slots,
        passed: `${run.perModuleMs.length}/${run.perModuleMs.length + run.failed}`,
        perModuleMs: `${r(perModule.min)} / ${r(perModule.median)} / ${r(perModule.max)}`,
        singleOverThis: singleMedian ? Number((singleMedian / perModule.median).toFixed(3)) : '—',
        queuedSingleOverThis: singleQueuedMedian
          ? Number((singleQueuedMedian / queued.median).toFixed(3))
          : '—',
        wallMs: r(run.wallMs),
        modulesPerHour: r(modulesPerHour(run.perModuleMs.length, run.wallMs)),
        steadyModulesPerHour: run.steadyModulesPerHour.every((v) => v !== undefined)
          ? run.steadyModulesPerHour.map((v) => r(v!)).join(' / ')
          : '—',
        scanToFirstByteP50P95: `${r(percentile(run.scanToFirstByteMs, 50))} / ${r(percentile(run.scanToFirstByteMs, 95))}`,
        scanTo202P50P95: `${r(percentile(run.scanTo202Ms, 50))} / ${r(percentile(run.scanTo202Ms, 95))}`,
        stationLoopLagP99Max: `${r(Math.max(...run.loopLagP99Ms))} / ${r(Math.max(...run.loopLagMaxMs))}`,
        coresServerStationJigs: `${run.cores.server.toFixed(2)} / ${run.cores.station.toFixed(2)} / ${run.cores.jigs.toFixed(2)}`,
        // Robust under load where wall time is not: what one module costs the station agent.
        stationCpuMsPerModule: r((run.cores.station * run.wallMs) / run.perModuleMs.length),
        stageP50Ms: stageMedians(run.stageMs, FLASH_STAGES),
        progressToBrowserP50P95: run.progressToBrowserMs.length
          ? `${r(percentile(run.progressToBrowserMs, 50))} / ${r(percentile(run.progressToBrowserMs, 95))}`
          : 'none seen',
        // Failures are FAILED rows for the runner: a line that loses flashes misses its target.
        notPassed: run.failed ? `FAILED ${run.failures}` : '',
        retried: run.retries,
      });
    } catch (error) {
      rows.push(failedRow(slots, error));
    }
    console.error(`line-slots ${slots}: ${JSON.stringify(rows.at(-1))}`);
  }
  return rows;
}

function failedRow(slots: number, error: unknown): Row {
  return {
    slots,
    passed: '—',
    perModuleMs: `FAILED: ${(error as Error).message ?? String(error)}`.slice(0, 300),
    singleOverThis: '—',
    queuedSingleOverThis: '—',
    wallMs: '—',
    modulesPerHour: '—',
    steadyModulesPerHour: '—',
    scanToFirstByteP50P95: '—',
    scanTo202P50P95: '—',
    stationLoopLagP99Max: '—',
    coresServerStationJigs: '—',
    stationCpuMsPerModule: '—',
    stageP50Ms: '—',
    progressToBrowserP50P95: '—',
    notPassed: '',
    retried: '',
  };
}

function rigArg(args: string[]): LineSlotsOptions['rig'] {
  const at = args.indexOf('--rig');
  const value = at >= 0 ? args[at + 1] : 'internal';
  if (value !== 'internal' && value !== 'external')
    throw new Error(`--rig must be internal or external (got ${value})`);
  return value;
}

/** `--name value`, or undefined when the flag is absent. */
function stringArg(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const real = args.includes('--real-size');
  const rows = await measureLineSlots({
    slotCounts: listArg(args, 'slots', [1, 16, 64, 128]),
    baud: numberArg(args, 'baud', 921600),
    romBytes: real ? REAL_SIZE_PACKAGE.romBytes : numberArg(args, 'rom-kib', 256) * 1024,
    vivaBytes: real ? REAL_SIZE_PACKAGE.vivaBytes : numberArg(args, 'viva-kib', 64) * 1024,
    rounds: numberArg(args, 'rounds', 3),
    timeoutMs: numberArg(args, 'timeout-s', 900) * 1000,
    rig: rigArg(args),
    rigProcesses: numberArg(args, 'rig-processes', 2),
    stationCpuProfDir: stringArg(args, 'station-cpu-prof'),
    serverCpuProfDir: stringArg(args, 'server-cpu-prof'),
    jigCpuProfDir: stringArg(args, 'jig-cpu-prof'),
    built: args.includes('--built'),
    scanEveryMs: numberArg(args, 'scan-every-ms', 0),
    modulesPerSlot: numberArg(args, 'modules-per-slot', 1),
  });
  console.log(formatTable(rows));
}
