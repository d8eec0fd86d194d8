// One slot of the virtual jig: a pty relay (the "USB adapter"), the paced line, the power
// relay, and whichever module is seated there (or none). Adapter faults live here because they
// belong to the slot; a module's own faults (its noisy line included) come and go with it.
import { join } from 'node:path';
import type { AdapterFaults } from '../device/profile';
import type { VirtualModule } from '../device/virtual-module';
import { noiseFrom, PacedLine, type LineNoise } from '../line/paced-line';
import { createPtyRelay, DEFAULT_HOST_WINDOW, type PtyRelay } from '../pty/pty-relay';
import type { RelayHub } from '../pty/relay-hub';
import { JigError } from './errors';

export interface JigSlotOptions {
  slot: number;
  dir: string;
  adapterFaults: AdapterFaults;
  /** The slot's power relay at start. */
  powered: boolean;
  pacing: boolean;
  rxPacing: boolean;
  /** Host bytes waiting for the line before the host's write blocks (default 4608). */
  hostWindow?: number;
  usbLatencyMs: number;
  perlBinary?: string;
  /** The jig's C relay hub, where there is one: the slot's pty is opened in it. */
  hub?: RelayHub;
  onError: (error: Error) => void;
}

export function slotName(slot: number): string {
  return `slot-${String(slot).padStart(2, '0')}`;
}

interface Seated {
  module: VirtualModule;
  noise: LineNoise | null;
  onError: (error: unknown) => void;
}

export class JigSlot {
  readonly slot: number;
  readonly path: string;
  readonly adapterFaults: AdapterFaults;
  private relay: PtyRelay | null = null;
  private daBytes = 0;
  private seated: Seated | null = null;
  private relayOn: boolean;
  readonly line: PacedLine;

  constructor(private readonly options: JigSlotOptions) {
    this.slot = options.slot;
    this.adapterFaults = options.adapterFaults;
    this.relayOn = options.powered;
    this.path = join(options.dir, slotName(options.slot));
    this.line = new PacedLine({
      pacing: options.pacing,
      rxPacing: options.rxPacing,
      onRxDone: (count) => this.relay?.credit(count),
      onRxDropped: (count) => this.relay?.dropped(count),
      onBaudChange: (baud) => this.relay?.setBaud(baud),
      usbLatencyMs: options.usbLatencyMs,
      toHost: (bytes, due) => this.relay?.write(bytes, due),
      hostKeepsTime: () => this.relay?.timed ?? false,
      lookAhead: () => (this.relay?.timed ?? false) && this.relay?.discardAfter !== undefined,
      onDrop: (at) => this.relay?.discardAfter?.(at),
      // An empty slot: the bytes reach no one, so a handshake simply times out.
      toDevice: (bytes, at) => this.seated?.module.onBytes(bytes, at),
    });
    const noise = options.adapterFaults.noise;
    if (noise) this.line.addNoise(noiseFrom(noise));
  }

  get module(): VirtualModule | null {
    return this.seated?.module ?? null;
  }

  /** The seated module, or a JigError naming the empty slot. */
  occupant(): VirtualModule {
    if (!this.seated) throw new JigError(`no module in slot ${this.slot}`);
    return this.seated.module;
  }

  get plugged(): boolean {
    return this.relay !== null;
  }

  get powered(): boolean {
    return this.relayOn;
  }

  /** Puts a module on this slot's line; it powers up at once if the slot's power is on. */
  /** Throws a JigError naming the module that occupies the slot, if one does. */
  assertEmpty(): void {
    if (this.seated) {
      throw new JigError(
        `slot ${this.slot} is occupied by module ${this.seated.module.labelImei}: remove or move it first`,
      );
    }
  }

  seat(module: VirtualModule): void {
    this.assertEmpty();
    // A fault in one virtual module's firmware leaves that module dead (as a real one would
    // hang) and is reported; it must never take the whole jig down.
    const onError = (error: unknown) =>
      this.options.onError(error instanceof Error ? error : new Error(String(error)));
    const noise = module.faults.noisyLine ? noiseFrom(module.faults.noisyLine) : null;
    if (noise) this.line.addNoise(noise);
    module.on('error', onError);
    this.line.drop();
    module.attach(this.line);
    this.seated = { module, noise, onError };
    if (this.relayOn) module.powerOn();
  }

  /** Takes the module out (powered off, its flash as it is) and returns it. */
  unseat(): VirtualModule {
    const seated = this.seated;
    if (!seated) throw new JigError(`no module in slot ${this.slot}`);
    this.seated = null;
    seated.module.detach();
    seated.module.off('error', seated.onError);
    if (seated.noise) this.line.removeNoise(seated.noise);
    this.line.drop();
    this.daBytes = 0;
    return seated.module;
  }

  powerOn(): void {
    this.relayOn = true;
    this.seated?.module.powerOn();
  }

  powerOff(): void {
    this.relayOn = false;
    this.seated?.module.powerOff();
  }

  /** Creates the host's pty and its relay (adapter plugged in). */
  async plug(): Promise<void> {
    if (this.relay) return;
    const { pacing, rxPacing } = this.options;
    const relay = await createPtyRelay(this.path, {
      window: pacing && rxPacing ? (this.options.hostWindow ?? DEFAULT_HOST_WINDOW) : 0,
      line: { frameMs: this.line.usbFrameMs, baud: this.line.currentBaud },
      onData: (bytes, readAt) => this.onHostBytes(bytes, readAt),
      ...(this.options.perlBinary ? { perlBinary: this.options.perlBinary } : {}),
      ...(this.options.hub ? { hub: this.options.hub } : {}),
    });
    this.relay = relay;
    relay.onGone(() => {
      if (this.relay === relay) void this.unplug();
    });
  }

  /** The adapter disappears: the host's tty path vanishes and its open port fails. */
  async unplug(): Promise<void> {
    const relay = this.relay;
    this.relay = null;
    this.line.drop();
    await relay?.close();
  }

  private onHostBytes(bytes: Uint8Array, readAt?: number): void {
    const limit = this.adapterFaults.unplugAfterDaBytes;
    if (limit !== undefined && this.seated?.module.state === 'da') {
      this.daBytes += bytes.length;
      if (this.daBytes >= limit) {
        this.daBytes = 0;
        void this.unplug();
        return;
      }
    }
    this.line.fromHost(bytes, readAt);
  }
}
