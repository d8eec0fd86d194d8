// Scale benchmark (not a test): N virtual modules at 921600, each receiving a paced host stream
// through its pty, measuring achieved vs nominal byte rate per module and event-loop lag.
// Usage: npx tsx scripts/bench/emulator-scale.ts [--slots 128] [--seconds 5]
// The host side writes 4 KiB frames as fast as the pty accepts them (backpressure), so the
// achieved rate is what the emulator's paced line delivers to its modules.
import { mkdtemp, rm } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { createVirtualJig } from '@station/emulator';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const slots = arg('--slots', 128);
const seconds = arg('--seconds', 5);
const BAUD = 921600;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-jig-'));
  const jig = await createVirtualJig({ slots, dir });
  const ports: SerialPort[] = [];
  try {
    await measure(jig, ports);
  } finally {
    for (const port of ports)
      if (port.isOpen) await new Promise<void>((ok) => port.close(() => ok()));
    await jig.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function measure(
  jig: Awaited<ReturnType<typeof createVirtualJig>>,
  ports: SerialPort[],
): Promise<void> {
  const received = new Map<number, number>();
  for (const s of jig.slots) {
    s.module.powerOff(); // a powered-off module ignores bytes but the line still paces them
    received.set(s.slot, 0);
  }
  for (const s of jig.slots) {
    const port = new SerialPort({ path: s.path, baudRate: BAUD, autoOpen: false });
    await new Promise<void>((ok, fail) => port.open((e) => (e ? fail(e) : ok())));
    port.on('error', () => undefined); // pending writes are canceled on close
    ports.push(port);
  }
  // Count what each line delivers to its module and run every line at 921600.
  for (const s of jig.slots) {
    const original = s.module.onBytes.bind(s.module);
    s.module.onBytes = (chunk: Uint8Array) => {
      received.set(s.slot, received.get(s.slot)! + chunk.length);
      original(chunk);
    };
  }
  // A module sets its line's baud itself after the DA speed switch; here we set it directly.
  for (const s of jig.slots) {
    (s.module as unknown as { link: { setBaud(b: number): void } }).link.setBaud(BAUD);
  }
  const lag = monitorEventLoopDelay({ resolution: 1 });
  const frame = Buffer.alloc(4096, 0x55);
  let running = true;
  const pump = (port: SerialPort) => {
    const go = () => {
      if (!running) return;
      if (port.write(frame)) setImmediate(go);
      else port.once('drain', go);
    };
    go();
  };
  lag.enable();
  const started = performance.now();
  ports.forEach(pump);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  running = false;
  const elapsed = (performance.now() - started) / 1000;
  lag.disable();
  const nominal = BAUD / 10;
  const rates = [...received.values()].map((n) => n / elapsed / nominal);
  rates.sort((a, b) => a - b);
  const memory = process.memoryUsage();
  console.log(
    JSON.stringify({
      slots,
      seconds: Number(elapsed.toFixed(2)),
      baud: BAUD,
      achievedVsNominal: {
        min: Number(rates[0]!.toFixed(3)),
        median: Number(rates[Math.floor(rates.length / 2)]!.toFixed(3)),
        max: Number(rates[rates.length - 1]!.toFixed(3)),
      },
      eventLoopLagMs: {
        p50: Number((lag.percentile(50) / 1e6).toFixed(2)),
        p99: Number((lag.percentile(99) / 1e6).toFixed(2)),
        max: Number((lag.max / 1e6).toFixed(2)),
      },
      rssMiB: Math.round(memory.rss / 2 ** 20),
    }),
  );
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
