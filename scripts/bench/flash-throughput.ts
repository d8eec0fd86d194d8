// Flash throughput against one paced emulated MC60 (design §8): measured stage times versus the
// physical line limit (bytes × 10 / baud plus one USB turnaround per protocol round trip), for
// several USB latency-timer settings.
// Usage: npx tsx scripts/bench/flash-throughput.ts [--baud 921600] [--latency 0,1,16] [--rom-kib 512]
import { createVirtualJig } from '@station/emulator';
import {
  loadFirmwarePackage,
  makeSyntheticDa,
  makeSyntheticPackage,
  parseDaFile,
  runFlashJob,
  type TraceRecorder,
} from '@station/mtk';
import { SerialTransport } from '../../apps/station/src/ports/serial-transport';
import {
  formatTable,
  isMain,
  lineMs,
  listArg,
  numberArg,
  withTempDir,
  type Row,
} from './lib/bench-util';

export interface ThroughputOptions {
  baud: number;
  latenciesMs: number[];
  romKib: number;
}

const VIVA_BYTES = 64 * 1024;
const PACKET = 4096;
/** Per WRITE packet on the wire besides data: lead 5A + sum16 (host → module), 69 answer back. */
const PACKET_OVERHEAD_BYTES = 4;

/** One flash per latency setting; one row per (latency, stage) with measured / limit. */
export async function measureFlashThroughput(options: ThroughputOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const latencyMs of options.latenciesMs) {
    const t = await flashOnce(options.baud, latencyMs, options.romKib * 1024);
    const row = (stage: string, measured: number, limit: number): Row => ({
      baud: options.baud,
      usbLatencyMs: latencyMs,
      stage,
      measuredMs: Math.round(measured),
      limitMs: Math.round(limit),
      ratio: Number((measured / limit).toFixed(3)),
    });
    rows.push(row('da_upload', t.upload, t.uploadLimit));
    rows.push(row('write', t.write, t.writeLimit));
    rows.push(row('upload+write', t.upload + t.write, t.uploadLimit + t.writeLimit));
  }
  return rows;
}

/** One paced flash; `trace` records its protocol trace (the trace bench compares on and off). */
export async function flashOnce(
  baud: number,
  latencyMs: number,
  romBytes: number,
  trace?: TraceRecorder,
) {
  return withTempDir('flash-bench-', async (dir) => {
    const jig = await createVirtualJig({
      slots: [{ slot: 1, revision: 'MC60CAR01A03' }],
      dir,
      pacing: true,
      usbLatencyMs: latencyMs,
    });
    try {
      const port = await SerialTransport.open({ path: jig.slots[0]!.path });
      try {
        const s = makeSyntheticPackage({
          revision: 'MC60CAR01A13',
          romSize: romBytes,
          vivaSize: VIVA_BYTES,
        });
        const pkg = loadFirmwarePackage(s.cfgText, (n) => s.files[n], s.cfgName);
        const da = parseDaFile(makeSyntheticDa());
        const result = await runFlashJob(port, {
          package: pkg,
          da,
          baud,
          power: { cycle: () => jig.power(1, 'cycle') },
          trace,
        });
        if (!result.ok) throw result.error ?? new Error('flash failed');
        const bytes = pkg.images.reduce((n, i) => n + i.data.length, 0);
        const packets = pkg.images.reduce((n, i) => n + Math.ceil(i.data.length / PACKET), 0);
        const daBytes = da.da1.data.length + da.da2.data.length;
        return {
          durationMs: result.durationMs,
          upload: result.stageTimings.da_upload ?? Number.NaN,
          write: result.stageTimings.write ?? Number.NaN,
          // DA upload runs at 115200 (no BROM speed-up); its few echoed turnarounds are ignored.
          uploadLimit: lineMs(daBytes, 115200),
          writeLimit: lineMs(bytes + packets * PACKET_OVERHEAD_BYTES, baud) + packets * latencyMs,
        };
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
  const rows = await measureFlashThroughput({
    baud: numberArg(args, 'baud', 921600),
    latenciesMs: listArg(args, 'latency', [0, 1, 16]),
    romKib: numberArg(args, 'rom-kib', 512),
  });
  console.log(formatTable(rows));
}
