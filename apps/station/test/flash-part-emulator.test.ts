// The station's host against modules carrying a configured flash part, started the way
// `flashstation emulate --flash-part …` starts them: real socat ptys, real serialport binding.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VirtualJig } from '@station/emulator';
import {
  loadFirmwarePackage,
  makeSyntheticDa,
  makeSyntheticPackage,
  MC60_FLASH_IDS,
  parseDaFile,
  runFlashJob,
  type JedecId,
} from '@station/mtk';
import { Command } from 'commander';
import { SerialTransport } from '../src/ports/serial-transport';
import { registerEmulateCommand } from '../src/cli/commands/emulate.command';
import { startJig } from '../src/cli/emulate/run-jig';
import { NEW_REVISION, power } from './flash-helpers';

let jig: VirtualJig | undefined;
let port: SerialTransport | undefined;
let dir: string | undefined;
afterEach(async () => {
  await port?.close();
  await jig?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  jig = port = dir = undefined;
});

async function flashWithPart(flashPart: string, id: JedecId) {
  dir = await mkdtemp(join(tmpdir(), 'flash-part-'));
  jig = await startJig({ slots: 1, dir, json: false, pacing: false, usbLatencyMs: 0, flashPart });
  port = await SerialTransport.open({ path: jig.slots[0]!.path });
  // The package and the DA's table list the part, as a vendor package for that part would.
  const s = makeSyntheticPackage({
    revision: NEW_REVISION,
    romSize: 64 * 1024,
    vivaSize: 16 * 1024,
    flashIds: [...MC60_FLASH_IDS, id],
  });
  return runFlashJob(port, {
    package: loadFirmwarePackage(s.cfgText, (n) => s.files[n], s.cfgName),
    da: parseDaFile(makeSyntheticDa({ flashIds: [...MC60_FLASH_IDS, id] })),
    baud: 921600,
    power: power(jig),
    preflight: true,
    postflight: true,
    expectedImei: jig.slots[0]!.imei,
  });
}

describe('flash parts seen by the host', () => {
  it('W25Q64JV: the host reads its JEDEC id and 8 MiB from the DA report and flashes it', async () => {
    const result = await flashWithPart('W25Q64JV', {
      manufacturer: 0xef,
      memoryType: 0x40,
      capacity: 0x17,
    });
    expect(result.error).toBeUndefined();
    expect(result.flash?.flashId).toBe('0x001740EF');
    expect(result.flash?.report).toMatchObject({
      flashSize: 8 * 1024 * 1024,
      jedec: { manufacturer: 0xef, memoryType: 0x40, capacity: 0x17 },
    });
    expect(result.revisionAfter).toBe(NEW_REVISION);
    expect(jig!.slots[0]!.module.flashPart.name).toBe('W25Q64JV');
  }, 60_000);

  it('a custom part from --flash-part text: its id and size reach the host', async () => {
    const result = await flashWithPart(
      'name=GD25LQ128C,jedec=C86018,sizeMiB=16,sectorEraseMs=1,blockEraseMs=2,pageProgramMs=0.01',
      { manufacturer: 0xc8, memoryType: 0x60, capacity: 0x18 },
    );
    expect(result.error).toBeUndefined();
    expect(result.flash?.flashId).toBe('0x001860C8');
    expect(result.flash?.report.flashSize).toBe(16 * 1024 * 1024);
  }, 60_000);

  it('emulate refuses an unknown --flash-part before starting anything', async () => {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    registerEmulateCommand(program);
    const parse = program.parseAsync(['node', 'fs', 'emulate', '--flash-part', 'W25Q99']);
    await expect(parse).rejects.toThrow(
      /unknown flash part "W25Q99" \(parts: W25Q32JV, W25Q64JV, W25Q128JV/,
    );
  });
});
