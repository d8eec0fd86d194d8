// Shared set-up for the host-vs-emulator tests: a virtual jig on real socat pseudo-terminals, the
// station's real SerialTransport on its first slot, and synthetic (non-MediaTek) packages and DAs.
// The only stand-in is the module itself (the emulator), since no physical MC60 is attached.
import {
  createVirtualJig,
  type ModuleState,
  type VirtualJig,
  type VirtualJigOptions,
} from '@station/emulator';
import {
  loadFirmwarePackage,
  makeSyntheticDa,
  makeSyntheticPackage,
  parseDaFile,
  type DownloadAgent,
  type FirmwarePackage,
  type PowerControl,
} from '@station/mtk';
import { tempDir, waitForEvent, type TempDir } from '@station/testkit';
import { SerialTransport } from '../src/ports/serial-transport';

/** Revision every bench module boots with, and the one the demo packages carry. */
export const OLD_REVISION = 'MC60CAR01A03';
export const NEW_REVISION = 'MC60CAR01A13';

export interface Bench {
  jig: VirtualJig;
  /** The real serial transport on the first slot's tty. */
  port: SerialTransport;
  close(): Promise<void>;
}

export type BenchOptions = Partial<Omit<VirtualJigOptions, 'dir'>>;

/**
 * A jig (default: one slot at OLD_REVISION, pacing off) with the transport open on its first
 * slot. Options pass through to createVirtualJig. Whatever was opened is closed again if a later
 * step fails, and close() releases the port, the jig and its directory even if one step throws.
 */
export async function openBench(options: BenchOptions = {}): Promise<Bench> {
  const dir: TempDir = await tempDir('flash-bench');
  let jig: VirtualJig | undefined;
  let port: SerialTransport | undefined;
  const close = async (): Promise<void> => {
    try {
      await port?.close();
    } finally {
      try {
        await jig?.close();
      } finally {
        await dir.dispose();
      }
    }
  };
  try {
    jig = await createVirtualJig({
      slots: [{ slot: 1, revision: OLD_REVISION }],
      pacing: false,
      ...options,
      dir: dir.path,
    });
    port = await SerialTransport.open({ path: jig.slots[0]!.path });
    return { jig, port, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Power control of one jig slot through the emulator's channel (ptys carry no DTR/RTS). */
export function power(jig: VirtualJig, slot = 1): PowerControl {
  return { switchesSupply: true, cycle: () => jig.power(slot, 'cycle') };
}

export function demoPackage(
  revision = NEW_REVISION,
  romSize = 96 * 1024,
  vivaSize = 24 * 1024,
): FirmwarePackage {
  const s = makeSyntheticPackage({ revision, romSize, vivaSize });
  return loadFirmwarePackage(s.cfgText, (name) => s.files[name], s.cfgName);
}

export function demoDa(format: 'raw' | 'allinone' = 'raw'): DownloadAgent {
  return parseDaFile(makeSyntheticDa({ format }));
}

/** Resolves when the first slot's module reaches `state` (event-driven), failing at the deadline. */
export async function moduleState(
  jig: VirtualJig,
  state: ModuleState,
  timeoutMs?: number,
): Promise<void> {
  const module = jig.slots[0]!.module;
  await waitForEvent<[ModuleState]>(module, 'state', {
    what: `slot 1's module to reach state "${state}"`,
    accept: (reached) => reached === state,
    ready: () => module.state === state,
    timeoutMs,
  });
}
