// N emulated adapters flashing at once in one process, as a station's slots do (#12 §5): per-slot
// flash and write-stage time, drains issued, and how long a libuv pool job (an fs.stat probe every
// 5 ms) waits meanwhile. Run with UV_THREADPOOL_SIZE unset (4) and sized (2 × slots + 4).
// --model-drain 1: a pty's drain returns at once, a USB adapter's after the bytes' line time; so
// each drain also holds a pool thread that long (a blocking read of a FIFO, released by a timer).
// Usage: npx tsx scripts/bench/speed-slots.ts [--slots 1,8,16] [--rom-kib 256] [--latency 1]
//   [--model-drain 1]
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, read, writeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createVirtualJig } from '@station/emulator';
import {
  loadFirmwarePackage,
  makeSyntheticDa,
  makeSyntheticPackage,
  parseDaFile,
  runFlashJob,
  type Transport,
} from '@station/mtk';
import { SerialTransport } from '../../apps/station/src/ports/serial-transport';
import {
  formatTable,
  isMain,
  lineMs,
  listArg,
  median,
  numberArg,
  withTempDir,
  type Row,
} from './lib/bench-util';

const BAUD = 921600;

/** Holds one libuv pool thread for a given time: a blocking FIFO read a timer releases. */
class PoolThreadHolder {
  private readonly fd: number;
  constructor(dir: string) {
    const path = join(dir, 'hold.fifo');
    execFileSync('mkfifo', [path]);
    this.fd = openSync(path, constants.O_RDWR); // blocking: read() waits on its pool thread
  }
  hold(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      read(this.fd, Buffer.alloc(1), 0, 1, null, (error) => (error ? reject(error) : resolve()));
      setTimeout(() => writeSync(this.fd, Buffer.of(1)), ms);
    });
  }
  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Counts the writes that ask for a drain (every write did before #12 §5); with `holder`, such a
 * write also holds a pool thread for its line time, as a USB adapter's tcdrain does.
 */
function countingDrains(
  inner: Transport,
  counter: { drains: number },
  holder?: PoolThreadHolder,
): Transport {
  let baud = 115200;
  return {
    write: async (data, timeoutMs, signal, options) => {
      if (options?.drain !== false) counter.drains += 1;
      await inner.write(data, timeoutMs, signal, options);
      if (holder && options?.drain !== false) await holder.hold(lineMs(data.length, baud));
    },
    read: (length, timeoutMs, signal) => inner.read(length, timeoutMs, signal),
    setBaudRate: async (rate) => {
      await inner.setBaudRate(rate);
      baud = rate;
    },
    discardInput: () => inner.discardInput(),
    close: () => inner.close(),
  };
}

/** Waits of an fs.stat (one pool job) every 5 ms until `stop` resolves. */
async function probePool(path: string, stop: Promise<unknown>): Promise<number[]> {
  const waits: number[] = [];
  let done = false;
  void stop.finally(() => (done = true));
  while (!done) {
    const start = performance.now();
    await stat(path);
    waits.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return waits;
}

export async function slotsRow(
  slots: number,
  romKib: number,
  latencyMs: number,
  modelDrain: boolean,
): Promise<Row> {
  return withTempDir('speed-slots-', async (dir) => {
    const jig = await createVirtualJig({
      slots: Array.from({ length: slots }, (_, i) => ({ slot: i + 1, revision: 'MC60CAR01A03' })),
      dir,
      pacing: true,
      usbLatencyMs: latencyMs,
    });
    const counter = { drains: 0 };
    const ports: Transport[] = [];
    const holder = modelDrain ? new PoolThreadHolder(dir) : undefined;
    try {
      for (const s of jig.slots)
        ports.push(countingDrains(await SerialTransport.open({ path: s.path }), counter, holder));
      const s = makeSyntheticPackage({
        revision: 'MC60CAR01A13',
        romSize: romKib * 1024,
        vivaSize: 64 * 1024,
      });
      const pkg = loadFirmwarePackage(s.cfgText, (n) => s.files[n], s.cfgName);
      const da = parseDaFile(makeSyntheticDa());
      const flashes = Promise.all(
        jig.slots.map((slot, i) =>
          runFlashJob(ports[i]!, {
            package: pkg,
            da,
            baud: BAUD,
            power: { cycle: () => jig.power(slot.slot, 'cycle') },
          }),
        ),
      );
      const [results, waits] = await Promise.all([flashes, probePool(dir, flashes)]);
      const failed = results.filter((r) => !r.ok);
      if (failed.length > 0) throw failed[0]!.error ?? new Error('flash failed');
      const fmt = (v: number) => Number(v.toFixed(1));
      const sorted = [...waits].sort((a, b) => a - b);
      return {
        slots,
        modelDrain: modelDrain ? 'yes' : 'no',
        pool: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
        flashP50Ms: Math.round(median(results.map((r) => r.durationMs))),
        flashMaxMs: Math.round(Math.max(...results.map((r) => r.durationMs))),
        writeP50Ms: Math.round(median(results.map((r) => r.stageTimings.write ?? Number.NaN))),
        drainsPerSlot: Math.round(counter.drains / slots),
        poolWaitP50Ms: fmt(median(waits)),
        poolWaitP99Ms: fmt(sorted[Math.floor(sorted.length * 0.99)] ?? Number.NaN),
      };
    } finally {
      for (const port of ports) await port.close();
      await jig.close();
      holder?.close();
    }
  });
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const rows: Row[] = [];
  for (const slots of listArg(args, 'slots', [1, 8, 16]))
    rows.push(
      await slotsRow(
        slots,
        numberArg(args, 'rom-kib', 256),
        numberArg(args, 'latency', 1),
        numberArg(args, 'model-drain', 0) === 1,
      ),
    );
  console.log(formatTable(rows));
}
