// Whole-module time against the pure line time (issue #12 §4.1): one `runFlashJob` with every
// stage the station runs (preflight AT, BROM handshake, DA upload and sync, write, verify,
// postflight AT) into one emulated module paced both ways, divided by DA bytes × 10 / 115200 +
// image bytes × 10 / DA baud, nothing added for latency or packet headers. Real-size package by
// default (RePhone MT2502 sizes, ≈ 4.9 MB) on a 16 MiB module; fresh jig per run.
// Usage: npx tsx scripts/bench/whole-module.ts [--baud 460800,921600] [--latency 1,16] [--runs 3]
//        [--rom-kib N --viva-kib N]   (a smaller package; default the real-size one)
//        [--flash-part W25Q128JV]     (a flash part with datasheet times; default the quick
//                                      16 MiB GD25LQ128 of the emulator) [--program-before-ack]
//        [--restart supply,watchdog]  (how the module restarts after its download: the jig's
//                                      relay, the station's way for relay-powered slots and the
//                                      default; or the DA's ≈ 1 s watchdog, as for slots powered
//                                      by PWRKEY or by hand; both: run alternately, side by side)
import { createVirtualJig, resolveFlashPart } from '@station/emulator';
import {
  loadFirmwarePackage,
  makeSyntheticDa,
  makeSyntheticPackage,
  MC60_FLASH_IDS,
  parseDaFile,
  runFlashJob,
} from '@station/mtk';
import { waitForEvent } from '@station/testkit';
import { SerialTransport } from '../../apps/station/src/ports/serial-transport';
import { formatTable, isMain, listArg, numberArg, withTempDir, type Row } from './lib/bench-util';
import { formatSpread, pureLineMs, REAL_SIZE_PACKAGE, spread } from './lib/stats';

export interface WholeModuleOptions {
  bauds: number[];
  latenciesMs: number[];
  runs: number;
  romBytes: number;
  vivaBytes: number;
  /** A named or custom flash part (`--flash-part`); default the quick 16 MiB GD25LQ128. */
  flashPart?: string;
  /** The DA programs each WRITE packet before acknowledging it (comparison). */
  programBeforeAck?: boolean;
  /** How the module restarts after its download (default: the jig's relay). */
  restarts?: RestartKind[];
}

/** `supply`: the jig's relay restarts the module; `watchdog`: the DA's watchdog does. */
export type RestartKind = 'supply' | 'watchdog';

export const REAL_SIZE_DEFAULTS: WholeModuleOptions = {
  bauds: [460800, 921600],
  latenciesMs: [1, 16],
  runs: 3,
  ...REAL_SIZE_PACKAGE,
};

const IMEI = '861359030299596';

interface OneFlash {
  totalMs: number;
  lineMs: number;
  stages: Record<string, number>;
}

/** One row per (baud, latency): whole / line ratio min / median / max, and median stage times. */
export async function measureWholeModule(options: WholeModuleOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const restarts = options.restarts ?? ['supply'];
  for (const baud of options.bauds) {
    for (const latencyMs of options.latenciesMs) {
      const byRestart = new Map<RestartKind, OneFlash[]>(restarts.map((r) => [r, []]));
      // Alternating the restart kinds run by run keeps them side by side on a shared machine.
      for (let i = 0; i < options.runs; i++) {
        for (const restart of restarts) {
          const run = await flashWholeModule(baud, latencyMs, restart, options);
          console.error(
            `whole-module ${baud} baud, ${latencyMs} ms, restart ${restart}, run ${i + 1}: ${run.totalMs} ms / line ${Math.round(run.lineMs)} ms`,
          );
          byRestart.get(restart)!.push(run);
        }
      }
      for (const [restart, runs] of byRestart) rows.push(summarise(baud, latencyMs, restart, runs));
    }
  }
  return rows;
}

/** Ratio min / median / max and the median of every stage, in the order the job ran them. */
function summarise(baud: number, latencyMs: number, restart: RestartKind, runs: OneFlash[]): Row {
  const stageMedian = (name: string) => spread(runs.map((r) => r.stages[name] ?? 0)).median;
  return {
    baud,
    usbLatencyMs: latencyMs,
    restart,
    runs: runs.length,
    wholeMs: formatSpread(spread(runs.map((r) => r.totalMs)), 0),
    lineMs: Math.round(runs[0]!.lineMs),
    ratioMinMedMax: formatSpread(spread(runs.map((r) => r.totalMs / r.lineMs))),
    ...Object.fromEntries(
      Object.keys(runs[0]!.stages).map((s) => [`${s}Ms`, Math.round(stageMedian(s))]),
    ),
  };
}

async function flashWholeModule(
  baud: number,
  latencyMs: number,
  restart: RestartKind,
  options: WholeModuleOptions,
): Promise<OneFlash> {
  return withTempDir('whole-module-', async (dir) => {
    const part = options.flashPart ? resolveFlashPart(options.flashPart) : undefined;
    // The part's id in the package and the DA's table, as a package for that part lists it.
    const partId = part
      ? { manufacturer: part.jedec[0], memoryType: part.jedec[1], capacity: part.jedec[2] }
      : { manufacturer: 0xc8, memoryType: 0x60, capacity: 0x18 };
    const jig = await createVirtualJig({
      slots: [
        {
          slot: 1,
          imei: IMEI,
          revision: 'MC60CAR01A03',
          ...(options.flashPart ? { flashPart: options.flashPart } : { flashMiB: 16 }),
          ...(options.programBeforeAck ? { timing: { programBeforeAck: true } } : {}),
        },
      ],
      dir,
      pacing: true,
      rxPacing: true,
      usbLatencyMs: latencyMs,
    });
    try {
      // A module on a line has booted by the time its label is scanned (it was seated first):
      // the job starts once it runs its AT firmware, so preflight is the host's AT checks and
      // not the jig's power-on boot (docs/benchmarks.md "Main after session 10").
      const module = jig.slots[0]!.module;
      await waitForEvent<[string]>(module, 'state', {
        what: 'the bench module to boot',
        accept: (state) => state === 'at',
        ready: () => module.state === 'at',
        timeoutMs: 10_000,
      });
      const port = await SerialTransport.open({ path: jig.slots[0]!.path });
      try {
        const s = makeSyntheticPackage({
          revision: 'MC60CAR01A13',
          romSize: options.romBytes,
          vivaSize: options.vivaBytes,
          // The 16 MiB part next to the MC60's, as a 16 MB MT2502 package lists it.
          flashIds: [...MC60_FLASH_IDS, partId],
        });
        const pkg = loadFirmwarePackage(s.cfgText, (n) => s.files[n], s.cfgName);
        const da = parseDaFile(
          makeSyntheticDa(part ? { flashIds: [...MC60_FLASH_IDS, partId] } : {}),
        );
        const result = await runFlashJob(port, {
          package: pkg,
          da,
          baud,
          power: { cycle: () => jig.power(1, 'cycle'), switchesSupply: restart === 'supply' },
          preflight: true,
          postflight: true,
          expectedImei: IMEI,
        });
        if (!result.ok) throw result.error ?? new Error('flash failed');
        if (result.flash?.baud !== baud)
          throw new Error(`flash fell back to ${result.flash?.baud} baud: not a ${baud} figure`);
        const imageBytes = pkg.images.reduce((n, i) => n + i.data.length, 0);
        const daBytes = da.da1.data.length + da.da2.data.length;
        return {
          totalMs: result.durationMs,
          lineMs: pureLineMs(daBytes, imageBytes, baud),
          stages: { ...result.stageTimings },
        };
      } finally {
        await port.close();
      }
    } finally {
      await jig.close();
    }
  });
}

function flashPartArgs(args: string[]): Pick<WholeModuleOptions, 'flashPart' | 'programBeforeAck'> {
  const at = args.indexOf('--flash-part');
  const flashPart = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && !flashPart) throw new Error('--flash-part needs a part name or key=value fields');
  if (flashPart) resolveFlashPart(flashPart); // refuse a typo before the first run
  return {
    ...(flashPart ? { flashPart } : {}),
    ...(args.includes('--program-before-ack') ? { programBeforeAck: true } : {}),
  };
}

function restartArgs(args: string[]): RestartKind[] {
  const at = args.indexOf('--restart');
  if (at < 0) return ['supply'];
  const kinds = String(args[at + 1]).split(',');
  for (const kind of kinds) {
    if (kind !== 'supply' && kind !== 'watchdog')
      throw new Error(`--restart takes supply and/or watchdog, got "${kind}"`);
  }
  return kinds as RestartKind[];
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const rows = await measureWholeModule({
    bauds: listArg(args, 'baud', REAL_SIZE_DEFAULTS.bauds),
    latenciesMs: listArg(args, 'latency', REAL_SIZE_DEFAULTS.latenciesMs),
    runs: numberArg(args, 'runs', REAL_SIZE_DEFAULTS.runs),
    romBytes: numberArg(args, 'rom-kib', REAL_SIZE_DEFAULTS.romBytes / 1024) * 1024,
    vivaBytes: numberArg(args, 'viva-kib', REAL_SIZE_DEFAULTS.vivaBytes / 1024) * 1024,
    ...flashPartArgs(args),
    restarts: restartArgs(args),
  });
  console.log(formatTable(rows));
}
