// Where the time of one 4 KiB WRITE packet goes (#12 §5): one paced flash, timestamps taken on
// both ends in this process (host writes and reads; the emulated module's receive and answer),
// so each packet's period splits into host time and rig time. Also event-loop delay.
// Usage: npx tsx scripts/bench/speed-packet.ts [--baud 921600] [--latency 1,16] [--rom-kib 512]
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
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

const FULL_PACKET = 1 + 4096 + 2;
const CONT = 0x69;

interface PacketTimes {
  call: number;
  resolved: number;
  endOffset: number;
  /** The module had the packet's last byte. */
  arrived?: number;
  /** The module handed its 69 to the line. */
  answered?: number;
  /** The host's read of the 69 resolved. */
  read?: number;
}

/** Delegates to the real transport and timestamps every packet write and answer read. */
class TimedTransport implements Transport {
  written = 0;
  readonly packets: PacketTimes[] = [];
  /** Writes that asked for a drain (tcdrain on a pool thread): all of them before #12 §5. */
  drainingWrites = 0;
  /** Bytes the module has received (hookModule counts them). */
  moduleReceived = 0;
  /** Host bytes the module never saw (handshake bytes before power-on), fixed at packet 1. */
  lost = -1;
  /**
   * Per host chunk, ms from the relay's read stamp to the line getting it: the relay → emulator
   * hop that the stamp keeps out of the line's timing (docs/speed-work.md §12).
   */
  readonly relayHops: number[] = [];
  /** The relay's read stamps, in order. */
  readonly relayReads: number[] = [];
  private awaiting: PacketTimes | null = null;

  constructor(private readonly inner: Transport) {}

  async write(...args: Parameters<Transport['write']>): Promise<void> {
    const [data, , , options] = args as [Uint8Array, number, AbortSignal?, { drain?: boolean }?];
    if (options?.drain !== false) this.drainingWrites += 1;
    const call = performance.now();
    // Everything before the first packet was answered, so the module has had all it will see.
    if (data.length === FULL_PACKET && this.lost < 0)
      this.lost = this.written - this.moduleReceived;
    this.written += data.length;
    const packet =
      data.length === FULL_PACKET ? { call, resolved: 0, endOffset: this.written } : null;
    if (packet) this.packets.push(packet);
    await this.inner.write(...args);
    if (packet) {
      packet.resolved = performance.now();
      this.awaiting = packet;
    }
  }

  async read(...args: Parameters<Transport['read']>): Promise<Uint8Array> {
    const bytes = await this.inner.read(...args);
    if (this.awaiting && bytes.length === 1 && bytes[0] === CONT) {
      this.awaiting.read = performance.now();
      this.awaiting = null;
    }
    return bytes;
  }

  setBaudRate(baud: number): Promise<void> {
    return this.inner.setBaudRate(baud);
  }
  discardInput(): void {
    this.inner.discardInput();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

interface ModuleHooks {
  onBytes(chunk: Uint8Array): void;
  link: {
    send(bytes: Uint8Array): void;
    fromHost?(bytes: Uint8Array, receivedAt?: number): void;
  } | null;
}

/** Timestamps, on the module's side, each packet's last byte in and the 69 out. */
function hookModule(module: unknown, host: TimedTransport): void {
  const m = module as ModuleHooks;
  let next = 0;
  const onBytes = m.onBytes.bind(m);
  m.onBytes = (chunk) => {
    host.moduleReceived += chunk.length;
    const now = performance.now();
    const seen = host.moduleReceived + Math.max(0, host.lost);
    while (host.lost >= 0 && next < host.packets.length && host.packets[next]!.endOffset <= seen) {
      host.packets[next]!.arrived = now;
      next += 1;
    }
    onBytes(chunk);
  };
  const link = m.link!;
  const fromHost = link.fromHost?.bind(link);
  if (fromHost && !(fromHost as { hooked?: boolean }).hooked) {
    const hooked = (bytes: Uint8Array, receivedAt?: number) => {
      if (receivedAt !== undefined) {
        host.relayHops.push(performance.now() - receivedAt);
        host.relayReads.push(receivedAt);
      }
      fromHost(bytes, receivedAt);
    };
    link.fromHost = Object.assign(hooked, { hooked: true });
  }
  const send = link.send.bind(link);
  link.send = (bytes) => {
    if (bytes.length === 1 && bytes[0] === CONT) {
      const waiting = host.packets.findLast((p) => p.arrived !== undefined);
      if (waiting && waiting.answered === undefined) waiting.answered = performance.now();
    }
    send(bytes);
  };
}

export async function measurePacket(baud: number, latencyMs: number, romKib: number) {
  return withTempDir('speed-packet-', async (dir) => {
    const jig = await createVirtualJig({
      slots: [{ slot: 1, revision: 'MC60CAR01A03' }],
      dir,
      pacing: true,
      usbLatencyMs: latencyMs,
    });
    const loop = monitorEventLoopDelay({ resolution: 1 });
    try {
      const port = new TimedTransport(await SerialTransport.open({ path: jig.slots[0]!.path }));
      try {
        const s = makeSyntheticPackage({
          revision: 'MC60CAR01A13',
          romSize: romKib * 1024,
          vivaSize: 64 * 1024,
        });
        const pkg = loadFirmwarePackage(s.cfgText, (n) => s.files[n], s.cfgName);
        const da = parseDaFile(makeSyntheticDa());
        const power = {
          cycle: async () => {
            await jig.power(1, 'cycle');
            hookModule(jig.slots[0]!.module, port);
          },
        };
        loop.enable();
        const result = await runFlashJob(port, { package: pkg, da, baud, power });
        loop.disable();
        if (!result.ok) throw result.error ?? new Error('flash failed');
        return {
          packets: port.packets,
          relayHops: port.relayHops,
          relayReads: port.relayReads,
          write: result.stageTimings.write ?? Number.NaN,
          drains: port.drainingWrites,
          loop,
        };
      } finally {
        await port.close();
      }
    } finally {
      await jig.close();
    }
  });
}

const p50 = (values: number[]) => Number(median(values).toFixed(2));

/** ms from `at` to the first stamp at or after it. */
function firstAfter(stamps: number[], at: number): number {
  const next = stamps.find((t) => t >= at);
  return next === undefined ? Number.NaN : next - at;
}

/** One row per latency: the median of each part of a packet's period. */
export async function packetRows(baud: number, latencies: number[], romKib: number) {
  const rows: Row[] = [];
  for (const latencyMs of latencies) {
    const { packets, relayHops, relayReads, write, drains, loop } = await measurePacket(
      baud,
      latencyMs,
      romKib,
    );
    const whole = packets.filter((p) => p.arrived && p.answered && p.read);
    const periods = whole.slice(1).map((p, i) => p.call - whole[i]!.call);
    const turnaround = whole.slice(1).map((p, i) => p.call - whole[i]!.read!);
    const line = lineMs(FULL_PACKET, baud);
    rows.push({
      baud,
      usbLatencyMs: latencyMs,
      packets: whole.length,
      writeMs: Math.round(write),
      periodP50: p50(periods),
      lineMs: Number(line.toFixed(2)),
      overheadP50: p50(periods.map((p) => p - line)),
      submitP50: p50(whole.map((p) => p.resolved - p.call)),
      wireInP50: p50(whole.map((p) => p.arrived! - p.call)),
      deviceP50: p50(whole.map((p) => p.answered! - p.arrived!)),
      wireOutP50: p50(whole.map((p) => p.read! - p.answered!)),
      hostTurnP50: p50(turnaround),
      // Host write call → the relay's first read of it (host stack + pty + the relay waking).
      ptyInP50: relayReads.length > 0 ? p50(whole.map((p) => firstAfter(relayReads, p.call))) : '-',
      relayHopP50: relayHops.length > 0 ? p50(relayHops) : '-',
      drains,
      loopP99Ms: Number((loop.percentile(99) / 1e6).toFixed(1)),
    });
  }
  return rows;
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const rows = await packetRows(
    numberArg(args, 'baud', 921600),
    listArg(args, 'latency', [1, 16]),
    numberArg(args, 'rom-kib', 512),
  );
  console.log(formatTable(rows));
}
