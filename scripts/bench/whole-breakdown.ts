// Where the fixed stages of one whole-module flash go (issue #12 §5): one `runFlashJob` as the
// whole-module bench runs it, with a protocol trace on the same clock as the emulated module's
// state changes (brom → at → off → brom → da → at). Prints the timeline of every command outside
// the write stage's packet run, then the stage timings. Not a ratio: see whole-module.ts for that.
// Usage: npx tsx scripts/bench/whole-breakdown.ts [--baud 921600] [--latency 1]
//        [--rom-kib 256 --viva-kib 64]   (the fixed stages do not depend on the package size)
import { createVirtualJig } from '@station/emulator';
import {
  loadFirmwarePackage,
  makeSyntheticDa,
  makeSyntheticPackage,
  MC60_FLASH_IDS,
  parseDaFile,
  runFlashJob,
  TraceRecorder,
} from '@station/mtk';
import { SerialTransport } from '../../apps/station/src/ports/serial-transport';
import { isMain, numberArg, withTempDir } from './lib/bench-util';

const IMEI = '861359030299596';

export interface TimelineLine {
  t: number;
  what: string;
}

export async function breakdown(
  baud: number,
  latencyMs: number,
  romBytes: number,
  vivaBytes: number,
): Promise<{ lines: TimelineLine[]; stages: Record<string, number>; totalMs: number }> {
  return withTempDir('whole-breakdown-', async (dir) => {
    const jigStart = performance.now();
    const jig = await createVirtualJig({
      slots: [{ slot: 1, imei: IMEI, revision: 'MC60CAR01A03', flashMiB: 16 }],
      dir,
      pacing: true,
      rxPacing: true,
      usbLatencyMs: latencyMs,
    });
    const lines: TimelineLine[] = [];
    let t0 = performance.now();
    // The jig powers its slots as its last step: the module's first BROM window began about now.
    lines.push({ t: jigStart - t0, what: 'module: jig created, powered at its end (state brom)' });
    jig.slots[0]!.module.on('state', (state, previous) =>
      lines.push({ t: performance.now() - t0, what: `module: ${previous} → ${state}` }),
    );
    try {
      const port = await SerialTransport.open({ path: jig.slots[0]!.path });
      try {
        const s = makeSyntheticPackage({
          revision: 'MC60CAR01A13',
          romSize: romBytes,
          vivaSize: vivaBytes,
          flashIds: [...MC60_FLASH_IDS, { manufacturer: 0xc8, memoryType: 0x60, capacity: 0x18 }],
        });
        const pkg = loadFirmwarePackage(s.cfgText, (n) => s.files[n], s.cfgName);
        const da = parseDaFile(makeSyntheticDa());
        const trace = new TraceRecorder({ maxEntries: 100_000, now: () => performance.now() });
        const opened = performance.now();
        lines.push({ t: opened - t0, what: 'host: port open, job starts' });
        const shift = opened - t0;
        t0 = opened;
        for (const l of lines) l.t -= shift;
        const result = await runFlashJob(port, {
          package: pkg,
          da,
          baud,
          power: {
            // The jig's relay: it also restarts the module after the download (not the watchdog).
            switchesSupply: true,
            cycle: async () => {
              lines.push({ t: performance.now() - t0, what: 'host: power cycle asked' });
              await jig.power(1, 'cycle');
            },
          },
          preflight: true,
          postflight: true,
          expectedImei: IMEI,
          trace,
        });
        const totalMs = performance.now() - t0;
        if (!result.ok) throw result.error ?? new Error('flash failed');
        for (const e of trace.snapshot().entries) {
          const fields = { ...e.args, ...e.reply };
          const text = Object.entries(fields)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ');
          lines.push({
            t: e.t,
            what: `${e.stage} ${e.cmd}${e.repeat ? ` ×${e.repeat}` : ''} ${text}${e.ok ? '' : ' FAILED'}`,
          });
        }
        lines.sort((a, b) => a.t - b.t);
        return { lines, stages: { ...result.stageTimings }, totalMs };
      } finally {
        await port.close();
      }
    } finally {
      await jig.close();
    }
  });
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const { lines, stages, totalMs } = await breakdown(
    numberArg(args, 'baud', 921600),
    numberArg(args, 'latency', 1),
    numberArg(args, 'rom-kib', 256) * 1024,
    numberArg(args, 'viva-kib', 64) * 1024,
  );
  let previous = 0;
  for (const l of lines) {
    console.log(
      `${l.t.toFixed(1).padStart(9)}  +${(l.t - previous).toFixed(1).padStart(7)}  ${l.what}`,
    );
    previous = l.t;
  }
  console.log(`total ${totalMs.toFixed(0)} ms; stages ${JSON.stringify(stages)}`);
}
