// Shared set-up for the flash integration tests: a virtual jig on real pseudo-terminals and the
// real serial transport, with everything torn down afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVirtualJig, type VirtualJig, type VirtualJigOptions } from '@station/emulator';
import {
  loadFirmwarePackage,
  makeSyntheticDa,
  makeSyntheticPackage,
  parseDaFile,
  type DownloadAgent,
  type FirmwarePackage,
} from '@station/mtk';
import { SerialTransport } from '../src/ports/serial-transport';

export interface Bench {
  jig: VirtualJig;
  port: SerialTransport;
  dir: string;
  close(): Promise<void>;
}

export async function openBench(
  options: Partial<VirtualJigOptions> & { slots?: VirtualJigOptions['slots'] } = {},
): Promise<Bench> {
  const dir = mkdtempSync(join(tmpdir(), 'flash-it-'));
  const jig = await createVirtualJig({
    slots: [{ slot: 1, revision: 'MC60CAR01A03' }],
    pacing: false,
    ...options,
    dir,
  });
  const port = await SerialTransport.open({ path: jig.slots[0]!.path });
  return {
    jig,
    port,
    dir,
    close: async () => {
      await port.close();
      await jig.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function demoPackage(
  revision: string,
  romSize = 96 * 1024,
  vivaSize = 24 * 1024,
): FirmwarePackage {
  const s = makeSyntheticPackage({ revision, romSize, vivaSize });
  return loadFirmwarePackage(s.cfgText, (name) => s.files[name], s.cfgName);
}

export function demoDa(format: 'raw' | 'allinone' = 'raw'): DownloadAgent {
  return parseDaFile(makeSyntheticDa({ format }));
}
