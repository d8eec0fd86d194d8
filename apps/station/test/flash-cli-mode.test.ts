// `flashstation flash --mode` (#11 §3): format-all through the CLI as an engineer runs it, and a
// mode the host does not know refused before the port is opened.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVirtualJig, type VirtualJig } from '@station/emulator';
import { tempDir, type TempDir } from '@station/testkit';
import { runFlashstation as cli } from './flashstation-cli';

let dir: TempDir;
let jig: VirtualJig;

beforeAll(async () => {
  dir = await tempDir('flash-cli-mode');
  jig = await createVirtualJig({
    slots: [{ slot: 1, revision: 'MC60CAR01A03' }],
    pacing: false,
    dir: dir.join('jig'),
  });
});

afterAll(async () => {
  await jig?.close();
  await dir?.dispose();
});

describe('flashstation flash --mode', () => {
  it('--mode format-all formats the part, rewrites the boot loader and reports the mode', async () => {
    const out = dir.join('pkg');
    const demo = await cli(['package', 'make-demo', '--out', out, '--revision', 'MC60CAR01A13']);
    expect(demo.code).toBe(0);
    const module = jig.slots[0]!.module;
    module.flash.program(0x3a1000, new Uint8Array(64).fill(0x46));
    const flash = await cli(
      [
        'flash',
        '--port',
        jig.slots[0]!.path,
        '--package',
        join(out, 'QUECTEL_SYNTH_MC60CAR01A13.cfg'),
        '--da',
        join(out, 'mt6261_da.bin'),
        '--power',
        `emulator:${jig.controlAddress}#1`,
        '--mode',
        'format-all',
        '--json',
      ],
      50_000,
    );
    expect(flash.stderr).toBe('');
    expect(JSON.parse(flash.stdout)).toMatchObject({
      ok: true,
      revisionAfter: 'MC60CAR01A13',
      mode: 'format-all',
      bootLoaders: ['BOOTLOADER_MC60CAR01A13.bin'],
    });
    expect(module.readFlash(0x3a1000, 64)).toEqual(new Uint8Array(64).fill(0xff));
    expect(flash.code).toBe(0);
  }, 60_000);

  it('an unknown --mode is refused with the choices, before any port is opened', async () => {
    const run = await cli([
      'flash',
      '--port',
      '/dev/null/none',
      '--package',
      'x.cfg',
      '--da',
      'x.bin',
      '--mode',
      'erase-all',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--mode must be one of firmware-upgrade, format-all');
  });
});
