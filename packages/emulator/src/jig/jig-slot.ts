// One slot of the virtual jig: a socat pty pair (the "USB adapter"), the paced line and the
// module behind it. Adapter faults live here because they belong to the slot, not the module.
import { join } from 'node:path';
import type { AdapterFaults } from '../device/profile';
import type { VirtualModule } from '../device/virtual-module';
import { noiseFrom, PacedLine, RX_HIGH_WATER } from '../line/paced-line';
import { openDevicePort, type DevicePort } from '../pty/pty-port';
import { createSocatPair, type SocatPair } from '../pty/socat-pair';

export interface JigSlotOptions {
  slot: number;
  dir: string;
  module: VirtualModule;
  /** IMEI on the module label. */
  labelImei: string;
  adapterFaults: AdapterFaults;
  pacing: boolean;
  rxPacing: boolean;
  usbLatencyMs: number;
  socatBinary: string;
  onError: (error: Error) => void;
}

export function slotName(slot: number): string {
  return `slot-${String(slot).padStart(2, '0')}`;
}

export class JigSlot {
  readonly slot: number;
  readonly path: string;
  readonly module: VirtualModule;
  readonly labelImei: string;
  private readonly devicePath: string;
  private pair: SocatPair | null = null;
  private port: DevicePort | null = null;
  private daBytes = 0;
  readonly line: PacedLine;

  constructor(private readonly options: JigSlotOptions) {
    this.slot = options.slot;
    this.module = options.module;
    this.labelImei = options.labelImei;
    this.path = join(options.dir, slotName(options.slot));
    this.devicePath = join(options.dir, `.${slotName(options.slot)}.device`);
    this.line = new PacedLine({
      pacing: options.pacing,
      rxPacing: options.rxPacing,
      onRxDrained: () => this.port?.resume(),
      usbLatencyMs: options.usbLatencyMs,
      toHost: (bytes) => this.port?.write(bytes),
      toDevice: (bytes) => this.module.onBytes(bytes),
    });
    const noise = options.adapterFaults.noise;
    if (noise) this.line.addNoise(noiseFrom(noise));
    if (this.module.faults.noisyLine) this.line.addNoise(noiseFrom(this.module.faults.noisyLine));
    this.module.attach(this.line);
    // A fault in one virtual module's firmware leaves that module dead (as a real one would
    // hang) and is reported; it must never take the whole jig down.
    this.module.on('error', (error: unknown) =>
      options.onError(error instanceof Error ? error : new Error(String(error))),
    );
  }

  get plugged(): boolean {
    return this.pair !== null;
  }

  /** Creates the pty pair (adapter plugged in) and opens the device end. */
  async plug(): Promise<void> {
    if (this.pair) return;
    const pair = await createSocatPair(this.path, this.devicePath, this.options.socatBinary);
    try {
      this.port = await openDevicePort(
        this.devicePath,
        (bytes) => this.onHostBytes(bytes),
        this.options.onError,
      );
    } catch (error) {
      await pair.close();
      throw error;
    }
    this.pair = pair;
    pair.process.once('exit', () => {
      if (this.pair === pair) void this.unplug();
    });
  }

  /** The adapter disappears: the host's tty path vanishes and its open port fails. */
  async unplug(): Promise<void> {
    const pair = this.pair;
    const port = this.port;
    this.pair = null;
    this.port = null;
    this.line.drop();
    await port?.close();
    await pair?.close();
  }

  private onHostBytes(bytes: Uint8Array): void {
    const limit = this.options.adapterFaults.unplugAfterDaBytes;
    if (limit !== undefined && this.module.state === 'da') {
      this.daBytes += bytes.length;
      if (this.daBytes >= limit) {
        this.daBytes = 0;
        void this.unplug();
        return;
      }
    }
    this.line.fromHost(bytes);
    if (this.line.rxBacklog > RX_HIGH_WATER) this.port?.pause();
  }
}
