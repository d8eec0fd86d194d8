// The UART between adapter and module, paced at the current baud (10 bits per byte) in both
// directions, with an FTDI-style latency timer on the adapter's way to the host and seeded bit
// errors. Output is released in batches per quantum (never one timer per byte) so 128 lines at
// 921600 stay cheap for the event loop. Timing model and sources: docs/emulator.md.
import type { ModuleLink } from '../device/virtual-module';
import { realClock, TIMER_TOLERANCE_MS, type Clock } from '../util/clock';
import { createRandom, type Random } from '../util/prng';

export interface LineNoise {
  aboveBaud: number;
  byteErrorRate: number;
  random: Random;
}

export interface PacedLineOptions {
  /** Delivers bytes to the host side (the pty); `due` is set when `hostKeepsTime` is. */
  toHost: (bytes: Uint8Array, due?: number) => void;
  /**
   * The host side writes bytes at their `due` time itself (the pty relay, next to the pty, with
   * a precise clock): the line hands each batch over as soon as it leaves the wire instead of
   * holding it on this process's timers, which fire up to half a millisecond early or late and
   * wait for a busy event loop (docs/speed-work.md §12). Asked per batch (the relay may change).
   */
  hostKeepsTime?: () => boolean;
  /**
   * The module may take host bytes before they have arrived by the model: the host side keeps
   * time and, when the line drops, discards what is not yet due (`onDrop`). Asked per read.
   */
  lookAhead?: () => boolean;
  /** The line dropped at `at` (clock time): output for the host due later is lost with it. */
  onDrop?: (at: number) => void;
  /**
   * Delivers bytes to the module; `at`: when the last of them arrives by the model. With
   * `lookAhead` that may be ahead of this process's clock: the module takes them at
   * once and answers at its own time (util/module-clock.ts), so its answer does not wait for a
   * timer of this process to fire on time (docs/speed-work.md §28).
   */
  toDevice: (bytes: Uint8Array, at: number) => void;
  pacing?: boolean;
  /**
   * Pace host → device too (default true). Off: the module sees host bytes as soon as the pty
   * delivers them (device → host stays paced), for hosts whose read timeouts do not allow for
   * the ~20 KiB a pseudo-terminal buffers (see docs/emulator.md).
   */
  rxPacing?: boolean;
  /**
   * `count` host bytes left the backlog (delivered to the module, or dropped with the line): the
   * adapter has room for them again (pty-relay.ts holds the host back on that count).
   */
  onRxDone?: (count: number) => void;
  /** The line dropped its `count` oldest host bytes (also reported to onRxDone). */
  onRxDropped?: (count: number) => void;
  /** The baud changed (the pty relay models the line's drain at it: pty-relay.ts). */
  onBaudChange?: (baud: number) => void;
  /**
   * The adapter's latency timer (FTDI AN232B-04): a USB packet that is not full (the tail of a
   * burst) goes to the host when the timer runs out; the timer restarts at every packet sent,
   * status-only ones included, so an idle adapter ticks with this period.
   */
  usbLatencyMs?: number;
  /**
   * USB full-speed frame (ms): a host write that finds the line idle reaches the adapter at the
   * next frame start (FTDI AN232-04: the host controller picks a new request up at the next
   * 1 ms frame). Default 1 with a latency timer (a USB adapter is modelled), else 0.
   */
  usbFrameMs?: number;
  /** Batch period for paced output (ms). */
  quantumMs?: number;
  clock?: Clock;
}

interface Pending {
  bytes: Uint8Array;
  /** Time the first byte starts on the wire and the per-byte time (ms). */
  start: number;
  perByte: number;
  sent: number;
}

/** Host bytes are delivered (and credited to the adapter) in pieces of at most this many. */
const RX_PIECE = 1024;

/** User bytes in one FT232R USB IN packet (64 bytes less 2 status bytes, AN232B-04). */
const USB_PACKET_DATA = 62;

export function noiseFrom(spec: {
  aboveBaud?: number;
  byteErrorRate: number;
  seed?: number;
}): LineNoise {
  return {
    aboveBaud: spec.aboveBaud ?? 0,
    byteErrorRate: spec.byteErrorRate,
    random: createRandom(spec.seed ?? 1),
  };
}

export class PacedLine implements ModuleLink {
  private baud = 115200;
  private readonly clock: Clock;
  private readonly pacing: boolean;
  private readonly rxPacing: boolean;
  private rxQueued = 0;
  private readonly latency: number;
  private readonly frame: number;
  private readonly quantum: number;
  private readonly noise: LineNoise[] = [];
  private tx: Pending[] = [];
  private txBusyUntil = 0;
  private txTimer: (() => void) | null = null;
  private lastDeliveryAt = 0;
  /** Bytes sent since the line was last idle: where the burst's last full USB packet ended. */
  private burstBytes = 0;
  /** When the adapter last sent a USB packet to the host: its latency timer counts from here. */
  private lastUsbPacketAt = 0;
  /**
   * Batches held by the latency timer, in the order they left the wire (their due times never
   * decrease). One timer releases them from the head: separate timers per batch may fire out of
   * order (Node keeps one list per duration) and a batch due now must not overtake a held one.
   */
  private held: { due: number; bytes: Uint8Array }[] = [];
  private heldTimer: (() => void) | null = null;
  private rx: { bytes: Uint8Array; at: number }[] = [];
  private rxBusyUntil = 0;
  private rxTimer: (() => void) | null = null;
  /** Bytes carried host → device (the adapter-unplug fault counts these). */
  hostBytes = 0;

  constructor(private readonly options: PacedLineOptions) {
    this.clock = options.clock ?? realClock;
    this.pacing = options.pacing ?? true;
    this.rxPacing = this.pacing && (options.rxPacing ?? true);
    this.latency = options.usbLatencyMs ?? 0;
    this.frame = options.usbFrameMs ?? (this.latency > 0 ? 1 : 0);
    this.quantum = options.quantumMs ?? 2;
  }

  get currentBaud(): number {
    return this.baud;
  }

  /** The USB frame (ms) a host write that finds the line idle waits for; 0 = none. */
  get usbFrameMs(): number {
    return this.frame;
  }

  /** Host bytes received but not yet delivered to the module (the adapter's backlog). */
  get rxBacklog(): number {
    return this.rxQueued;
  }

  addNoise(noise: LineNoise): void {
    this.noise.push(noise);
  }

  /** A module's own noise leaves the line with the module. */
  removeNoise(noise: LineNoise): void {
    const at = this.noise.indexOf(noise);
    if (at >= 0) this.noise.splice(at, 1);
  }

  setBaud(baud: number): void {
    if (baud === this.baud) return;
    this.baud = baud;
    this.options.onBaudChange?.(baud);
  }

  /**
   * Power loss or unplug at `at` (default now; a module's brown-out is at its own time, which
   * may be ahead): whatever was on the wire then is gone.
   */
  drop(at = this.clock.now()): void {
    this.tx = [];
    this.rx = [];
    // Bytes handed to a module ahead of their time (lookAhead) are still on the wire by the
    // model: lost with it.
    const onWire = Math.max(0, this.rxBusyUntil - at) / (10_000 / this.baud);
    const ahead = this.rxQueued === 0 && this.options.lookAhead?.() ? Math.ceil(onWire) : 0;
    const dropped = this.rxQueued + ahead;
    this.rxQueued = 0;
    this.rxBusyUntil = 0;
    if (dropped > 0) {
      this.options.onRxDropped?.(dropped);
      this.options.onRxDone?.(dropped);
    }
    this.txTimer?.();
    this.rxTimer?.();
    this.txTimer = this.rxTimer = null;
    this.options.onDrop?.(at);
  }

  /**
   * Bytes from the module toward the host. `at`: the module's time when it sent them (the event
   * that caused them, util/module-clock.ts), which may differ from this process's clock: it woke
   * late, or the module runs ahead for a host side that keeps time.
   */
  send(bytes: Uint8Array, at?: number): void {
    const data = this.corrupt(bytes);
    if (!this.pacing) {
      this.options.toHost(data);
      return;
    }
    const clockNow = this.clock.now();
    const now = at ?? clockNow;
    const perByte = 10_000 / this.baud;
    if (now >= this.txBusyUntil) this.burstBytes = 0;
    this.burstBytes += data.length;
    const start = Math.max(now, this.txBusyUntil);
    this.txBusyUntil = start + perByte * data.length;
    this.tx.push({ bytes: data, start, perByte, sent: 0 });
    // A host that keeps time gets the bytes now, each batch with its due time, as the flushes
    // would give them: timers here would cost the rig a wake-up per batch and hand them over as
    // late as this loop runs behind.
    if (!this.txTimer && this.held.length === 0 && this.options.hostKeepsTime?.())
      this.handOverTimed();
    else this.scheduleTx();
  }

  /** Every queued byte to a host that keeps time, in one batch per quantum of wire time. */
  private handOverTimed(): void {
    while (this.tx.length > 0) {
      const head = this.tx.shift()!;
      const perBatch = Math.max(1, Math.floor(this.quantum / head.perByte));
      for (let from = head.sent; from < head.bytes.length; from += perBatch) {
        const to = Math.min(head.bytes.length, from + perBatch);
        const last = to === head.bytes.length && this.tx.length === 0;
        // Full USB packets go as they leave the wire; the burst's tail waits for the latency timer.
        const leaves = head.start + head.perByte * to;
        const due = Math.max(last ? this.tailDue() : leaves, this.lastDeliveryAt);
        this.lastDeliveryAt = due;
        this.options.toHost(head.bytes.subarray(from, to), due);
      }
    }
  }

  /**
   * Bytes from the host (pty) toward the module: they arrive once the last one is received.
   * `receivedAt` (clock time, not after now): when the adapter side had them, if known earlier
   * than now (the relay's stamp), so the hop to this process adds no line time.
   */
  fromHost(bytes: Uint8Array, receivedAt?: number): void {
    this.hostBytes += bytes.length;
    const data = this.corrupt(bytes);
    const now = this.clock.now();
    if (!this.rxPacing) {
      this.options.toDevice(data, now);
      this.options.onRxDone?.(data.length);
      return;
    }
    const received = Math.min(receivedAt ?? now, now);
    // In pieces of at most 1 KiB, each due when its last byte is: a timed pty relay runs the same
    // model from the same stamp to give the host room as the line drains (pty-relay.ts).
    const perByte = 10_000 / this.baud;
    const reachesAdapter =
      this.frame > 0 ? Math.ceil(received / this.frame) * this.frame : received;
    const pieces: { bytes: Uint8Array; at: number }[] = [];
    for (let at = 0; at < data.length; at += RX_PIECE) {
      const piece = data.subarray(at, at + RX_PIECE);
      this.rxBusyUntil = Math.max(reachesAdapter, this.rxBusyUntil) + perByte * piece.length;
      pieces.push({ bytes: piece, at: this.rxBusyUntil });
    }
    if (this.rx.length === 0 && this.options.lookAhead?.()) {
      // The host side writes the answers at their modelled time: the module takes the bytes now
      // with their arrival times and runs ahead, instead of on a timer of this busy process.
      for (const piece of pieces) this.options.toDevice(piece.bytes, piece.at);
      this.options.onRxDone?.(data.length);
      return;
    }
    // Otherwise pieces of one read go to the module together when a timer is next due (a timer
    // per piece would cost the rig CPU, and a module answers whole packets).
    this.rxQueued += data.length;
    this.rx.push(...pieces);
    if (!this.rxTimer)
      this.rxTimer = this.clock.setTimer(() => this.flushRx(), this.rxBusyUntil - now);
  }

  private flushRx(): void {
    this.rxTimer = null;
    const now = this.clock.now();
    let done = 0;
    while (this.rx.length > 0 && this.rx[0]!.at <= now + TIMER_TOLERANCE_MS) {
      const { bytes, at } = this.rx.shift()!;
      this.rxQueued -= bytes.length;
      done += bytes.length;
      this.options.toDevice(bytes, at);
    }
    const next = this.rx[0];
    if (next) this.rxTimer = this.clock.setTimer(() => this.flushRx(), next.at - now);
    if (done > 0) this.options.onRxDone?.(done);
  }

  private scheduleTx(): void {
    if (this.txTimer || this.tx.length === 0) return;
    const head = this.tx[0]!;
    const now = this.clock.now();
    const firstDone = head.start + head.perByte * (head.sent + 1);
    // Batch long bursts per quantum, but a short burst (a 1-byte ACK) is released when its last
    // byte is on the wire, not a whole quantum later: that would add ~2 ms to every turnaround.
    const wait = Math.max(firstDone - now, Math.min(this.quantum, this.txBusyUntil - now));
    this.txTimer = this.clock.setTimer(() => this.flushTx(), wait);
  }

  private flushTx(): void {
    this.txTimer = null;
    const now = this.clock.now();
    // The burst's end is due within the clock's tolerance: release it whole rather than set
    // another timer for the last microseconds (it would fire a millisecond tick later).
    const horizon = this.txBusyUntil - now <= TIMER_TOLERANCE_MS ? this.txBusyUntil : now;
    const out: Uint8Array[] = [];
    while (this.tx.length > 0) {
      const head = this.tx[0]!;
      const done = Math.min(
        head.bytes.length,
        Math.floor((horizon - head.start) / head.perByte + 1e-6),
      );
      if (done > head.sent) {
        out.push(head.bytes.subarray(head.sent, done));
        head.sent = done;
      }
      if (head.sent < head.bytes.length) break;
      this.tx.shift();
    }
    const idle = this.tx.length === 0;
    if (out.length > 0) {
      const batch = out.length === 1 ? out[0]! : concat(out);
      // The latency timer only holds back the partial USB packet that ends a burst (full ones
      // go at once); later batches never overtake a held one.
      const due = Math.max(idle ? this.tailDue() : now, this.lastDeliveryAt);
      this.lastDeliveryAt = due;
      this.deliver(batch, due, now);
    }
    this.scheduleTx();
  }

  /**
   * When the adapter sends the end of the burst that just left the wire: at once if it filled
   * its last USB packet, else at the latency timer's next expiry counted from the last packet it
   * sent (the burst's last full one, or the idle adapter's previous status packet).
   */
  private tailDue(): number {
    const burstEnd = this.txBusyUntil;
    const perByte = 10_000 / this.baud;
    const tail = this.burstBytes % USB_PACKET_DATA;
    if (this.burstBytes >= USB_PACKET_DATA)
      this.lastUsbPacketAt = Math.max(this.lastUsbPacketAt, burstEnd - tail * perByte);
    // Bytes that reach the adapter while an earlier tail still waits go out in its packet.
    if (this.lastUsbPacketAt > burstEnd) return this.lastUsbPacketAt;
    if (tail === 0 || this.latency <= 0) {
      this.lastUsbPacketAt = Math.max(this.lastUsbPacketAt, burstEnd);
      return burstEnd;
    }
    const ticks = Math.max(1, Math.ceil((burstEnd - this.lastUsbPacketAt) / this.latency));
    this.lastUsbPacketAt += ticks * this.latency;
    return this.lastUsbPacketAt;
  }

  private deliver(batch: Uint8Array, due: number, now: number): void {
    if (this.held.length === 0 && this.options.hostKeepsTime?.()) {
      this.options.toHost(batch, due);
      return;
    }
    if (this.held.length === 0 && due <= now) {
      this.options.toHost(batch);
      return;
    }
    this.held.push({ due, bytes: batch });
    if (!this.heldTimer)
      this.heldTimer = this.clock.setTimer(() => this.releaseHeld(), Math.max(0, due - now));
  }

  private releaseHeld(): void {
    this.heldTimer = null;
    const now = this.clock.now();
    while (this.held.length > 0 && this.held[0]!.due <= now + TIMER_TOLERANCE_MS)
      this.options.toHost(this.held.shift()!.bytes);
    const next = this.held[0];
    if (next) this.heldTimer = this.clock.setTimer(() => this.releaseHeld(), next.due - now);
  }

  private corrupt(bytes: Uint8Array): Uint8Array {
    let out = bytes;
    for (const noise of this.noise) {
      if (this.baud <= noise.aboveBaud || noise.byteErrorRate <= 0) continue;
      for (let i = 0; i < out.length; i++) {
        if (noise.random() >= noise.byteErrorRate) continue;
        if (out === bytes) out = Uint8Array.from(bytes);
        out[i]! ^= 1 << Math.floor(noise.random() * 8);
      }
    }
    return out;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
