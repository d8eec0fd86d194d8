// Test harness for host-vs-emulator tests: a virtual jig on real socat pseudo-terminals, a
// Transport over the real serialport binding, and synthetic (non-MediaTek) package + DA.
// The only stand-in is the module itself (the emulator), since no physical MC60 is attached.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVirtualJig, type VirtualJig, type VirtualJigOptions } from '@station/emulator';
import {
  ByteQueue,
  loadFirmwarePackage,
  makeSyntheticDa,
  makeSyntheticPackage,
  parseDaFile,
  TransportError,
  type DownloadAgent,
  type FirmwarePackage,
  type Transport,
} from '@station/mtk';
import { SerialPort } from 'serialport';

/** Minimal serialport Transport (the station's own lives in src/ports; this one keeps the tests independent). */
export class PtyTransport implements Transport {
  private readonly queue = new ByteQueue();
  private closing = false;

  private constructor(private readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => this.queue.push(new Uint8Array(chunk)));
    port.on('error', () => undefined);
    port.on('close', () =>
      this.queue.close(
        this.closing
          ? new TransportError(`${port.path} closed`, { canceled: true })
          : new TransportError(`${port.path} disconnected`, { disconnected: true }),
      ),
    );
  }

  static async open(path: string): Promise<PtyTransport> {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((ok, fail) => port.open((e) => (e ? fail(e) : ok())));
    return new PtyTransport(port);
  }

  write(data: Uint8Array): Promise<void> {
    if (!this.port.isOpen)
      return Promise.reject(
        new TransportError(`${this.port.path} is not open`, { disconnected: true }),
      );
    return new Promise((ok, fail) => {
      this.port.write(Buffer.from(data), (e) =>
        e ? fail(new TransportError(e.message, { disconnected: true })) : undefined,
      );
      this.port.drain((e) =>
        e ? fail(new TransportError(e.message, { disconnected: true })) : ok(),
      );
    });
  }

  read(length: number, timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array> {
    return this.queue.read(length, timeoutMs, signal);
  }

  async setBaudRate(baud: number): Promise<void> {
    if (this.port.isOpen)
      await new Promise<void>((ok) => this.port.update({ baudRate: baud }, () => ok()));
  }

  discardInput(): void {
    this.queue.clear();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.port.isOpen) await new Promise<void>((ok) => this.port.close(() => ok()));
  }
}

export interface Bench {
  jig: VirtualJig;
  transport: PtyTransport;
  pkg: FirmwarePackage;
  da: DownloadAgent;
  power: { cycle(): Promise<void> };
  close(): Promise<void>;
}

export const NEW_REVISION = 'MC60CAR01A13';

/** One-slot jig (slot 1) with the given options, a transport on its tty, package and DA. */
export async function openBench(options: Omit<VirtualJigOptions, 'dir'>): Promise<Bench> {
  const synthetic = makeSyntheticPackage({
    revision: NEW_REVISION,
    romSize: 64 * 1024,
    vivaSize: 16 * 1024,
  });
  const pkg = loadFirmwarePackage(
    synthetic.cfgText,
    (name) => synthetic.files[name],
    synthetic.cfgName,
  );
  const dir = await mkdtemp(join(tmpdir(), 'faults-'));
  const jig = await createVirtualJig({ ...options, dir });
  let transport: PtyTransport;
  try {
    transport = await PtyTransport.open(jig.slots[0]!.path);
  } catch (error) {
    await jig.close();
    throw error;
  }
  return {
    jig,
    transport,
    pkg,
    da: parseDaFile(makeSyntheticDa()),
    power: { cycle: () => jig.power(jig.slots[0]!.slot, 'cycle') },
    async close() {
      await transport.close();
      await jig.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when the slot's module reaches `state` (event-driven). */
export function moduleState(jig: VirtualJig, state: string): Promise<void> {
  const module = jig.slots[0]!.module;
  if (module.state === state) return Promise.resolve();
  return new Promise((resolve) => {
    const onState = (s: string) => {
      if (s !== state) return;
      module.off('state', onState);
      resolve();
    };
    module.on('state', onState);
  });
}
