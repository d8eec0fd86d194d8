// Flash throughput against one paced emulated MC60 (design §8): measured stage times versus the
// physical line limit (bytes × 10 / baud plus one USB turnaround per protocol round trip).
// Usage: npx tsx scripts/bench/flash-throughput.ts [--baud 921600] [--latency 1] [--rom-kib 512]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVirtualJig } from '@station/emulator';
import {
  loadFirmwarePackage,
  makeSyntheticDa,
  makeSyntheticPackage,
  parseDaFile,
  runFlashJob,
} from '@station/mtk';
import { SerialTransport } from '../../apps/station/src/ports/serial-transport';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const baud = arg('baud', 921600);
const latencyMs = arg('latency', 1);
const romBytes = arg('rom-kib', 512) * 1024;
const vivaBytes = 64 * 1024;

const dir = await mkdtemp(join(tmpdir(), 'flash-bench-'));
const jig = await createVirtualJig({
  slots: [{ slot: 1, revision: 'MC60CAR01A03' }],
  dir,
  pacing: true,
  usbLatencyMs: latencyMs || 0,
});
const port = await SerialTransport.open({ path: jig.slots[0]!.path });
try {
  const s = makeSyntheticPackage({
    revision: 'MC60CAR01A13',
    romSize: romBytes,
    vivaSize: vivaBytes,
  });
  const pkg = loadFirmwarePackage(s.cfgText, (n) => s.files[n], s.cfgName);
  const da = parseDaFile(makeSyntheticDa());
  const result = await runFlashJob(port, {
    package: pkg,
    da,
    baud,
    power: { cycle: () => jig.power(1, 'cycle') },
    postflight: true,
  });
  if (!result.ok) throw result.error;

  const bytes = romBytes + vivaBytes;
  const packets = pkg.images.reduce((n, i) => n + Math.ceil(i.data.length / 4096), 0);
  // WRITE: 1 + 4096 + 2 bytes per packet host → module, 1 byte back, one turnaround each.
  const writeLimit = ((bytes + packets * 4) * 10 * 1000) / baud + packets * latencyMs;
  const daBytes = da.da1.data.length + da.da2.data.length;
  const uploadLimit = (daBytes * 10 * 1000) / 115200;
  const t = result.stageTimings;
  const row = (name: string, measured: number, limit?: number): string =>
    `${name.padEnd(11)} ${String(measured).padStart(7)} ms` +
    (limit
      ? `   limit ${limit.toFixed(0).padStart(6)} ms   ${((measured / limit) * 100 - 100).toFixed(1).padStart(5)} % over`
      : '');
  console.log(
    `MC60 emulated, paced, baud ${baud}, USB latency ${latencyMs} ms, images ${bytes} B in ${packets} packets`,
  );
  console.log(row('da-upload', t['da-upload'] ?? 0, uploadLimit));
  console.log(row('write', t.write ?? 0, writeLimit));
  for (const stage of [
    'brom',
    'da-connect',
    'baud',
    'format',
    'verify',
    'finish',
    'postflight',
  ] as const)
    console.log(row(stage, t[stage] ?? 0));
  console.log(row('total', result.durationMs, uploadLimit + writeLimit));
  console.log(
    `write throughput ${(((bytes / (t.write ?? 1)) * 1000) / 1024).toFixed(1)} KiB/s (line: ${(baud / 10 / 1024).toFixed(1)} KiB/s)`,
  );
} finally {
  await port.close();
  await jig.close();
  await rm(dir, { recursive: true, force: true });
}
