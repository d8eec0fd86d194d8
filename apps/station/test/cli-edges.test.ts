// The bench tool's edges (#11 §2, §6), run as engineers run it: the real `flashstation` CLI in a
// child process, with packages and DAs it writes itself (make-demo) and then changes the way
// vendor downloads differ.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVirtualJig, type VirtualJig } from '@station/emulator';
import { tempDir, type TempDir } from '@station/testkit';
import { runFlashstation as cli } from './flashstation-cli';

let dir: TempDir;
let jig: VirtualJig;

beforeAll(async () => {
  dir = await tempDir('cli-edges');
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

describe('flashstation CLI edges', () => {
  it('a .cfg path that does not exist says so (not "not valid YAML")', async () => {
    const missing = dir.join('nowhere', 'QUECTEL.cfg');
    const text = await cli(['package', 'inspect', missing]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${missing} does not exist`);
    expect(text.stdout).toContain('Check the --package path');
    expect(text.stdout).not.toMatch(/YAML/);

    const json = await cli(['package', 'inspect', '--json', missing]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CFG_FILE', message: `${missing} does not exist` },
    });
  });

  it('flash: a missing package or DA is named before any port is opened', async () => {
    const out = dir.join('demo');
    expect(
      (await cli(['package', 'make-demo', '--out', out, '--revision', 'MC60CAR01A13'])).code,
    ).toBe(0);
    const flash = (pkg: string, da: string) =>
      cli(['flash', '--port', dir.join('no-such-port'), '--package', pkg, '--da', da, '--json']);
    const noCfg = await flash(dir.join('missing.cfg'), `${out}/mt6261_da.bin`);
    expect(noCfg.code).toBe(1);
    expect(JSON.parse(noCfg.stdout)).toMatchObject({
      ok: false,
      errorName: 'S_FT_INVALID_CFG_FILE',
      stage: 'package',
      message: `${dir.join('missing.cfg')} does not exist`,
      engineerHint: expect.stringContaining('Check the --package path'),
    });
    const noDa = await flash(`${out}/QUECTEL_SYNTH_MC60CAR01A13.cfg`, dir.join('missing_da.bin'));
    expect(JSON.parse(noDa.stdout)).toMatchObject({
      errorName: 'S_INVALID_DA_FILE',
      message: `${dir.join('missing_da.bin')} does not exist`,
      engineerHint: expect.stringContaining('Check the --da path'),
    });
  });

  it('an unknown --power mode exits non-zero and lists the valid modes', async () => {
    const result = await cli([
      'flash',
      '--port',
      dir.join('no-such-port'),
      '--package',
      dir.join('x.cfg'),
      '--da',
      dir.join('x.bin'),
      '--power',
      'gpio17',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--power must be manual, dtr[-high][:<pulse ms>], rts[-high][:<pulse ms>] or emulator:<controlAddress>#<slot>, got "gpio17"',
    );
    expect(result.stdout).toBe('');
  });

  it('inspects a vendor-style package: blank platform, CRLF, names differing in letter case', async () => {
    const out = dir.join('vendor');
    await cli(['package', 'make-demo', '--out', out, '--revision', 'MC60CAR01A12']);
    const cfgPath = `${out}/QUECTEL_SYNTH_MC60CAR01A12.cfg`;
    const cfg = readFileSync(cfgPath, 'utf8')
      .replace('platform: MT6261', 'platform:        # chip comes from the ROM')
      .replace('- file: VIVA', '- file: viva')
      .replace(/\n/g, '\r\n');
    writeFileSync(cfgPath, cfg);
    const result = await cli(['package', 'inspect', cfgPath]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'platform  MT6261 (from the ROM: the cfg leaves general.platform blank)',
    );
    expect(result.stdout).toContain('revision  MC60CAR01A12 (Quectel revision in the build name)');
    expect(result.stdout).toMatch(/image {5}viva {5}type 0x0108 .* \(file VIVA\)/);

    // An extension the cfg does not have is not guessed: refused with the near miss named.
    renameSync(`${out}/VIVA`, `${out}/VIVA.bin`);
    const refused = await cli(['package', 'inspect', cfgPath]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'viva: named by QUECTEL_SYNTH_MC60CAR01A12.cfg but not found next to it; beside the cfg: VIVA.bin',
    );
  });

  it('flash accepts a split DA folder and refuses a truncated part as a setup error', async () => {
    const out = dir.join('split');
    const made = await cli([
      'package',
      'make-demo',
      '--out',
      out,
      '--revision',
      'MC60CAR01A13',
      '--da-format',
      'split',
    ]);
    expect(made.stdout).toContain(`${out}/Download_Agent`);
    const table = `${out}/Download_Agent/NOR_FLASH_TABLE`;
    writeFileSync(table, readFileSync(table).subarray(0, 36 * 2));
    const result = await cli([
      'flash',
      '--port',
      dir.join('no-such-port'),
      '--package',
      `${out}/QUECTEL_SYNTH_MC60CAR01A13.cfg`,
      '--da',
      `${out}/Download_Agent`,
      '--json',
    ]);
    expect(result.code).toBe(1);
    const error = JSON.parse(result.stdout);
    expect(error).toMatchObject({ errorName: 'S_INVALID_DA_FILE', stage: 'package' });
    expect(error.message).toMatch(
      /NOR_FLASH_TABLE: the flash table has no FF FF 00 00 terminator after 2 records/,
    );
    expect(error.hint).toBe('Download agent file is wrong: call an engineer.');

    rmSync(`${out}/Download_Agent/EXT_RAM`);
    const partMissing = await cli([
      'flash',
      '--port',
      dir.join('no-such-port'),
      '--package',
      `${out}/QUECTEL_SYNTH_MC60CAR01A13.cfg`,
      '--da',
      `${out}/Download_Agent/INT_SYSRAM`,
      '--json',
    ]);
    expect(JSON.parse(partMissing.stdout).message).toMatch(/Download_Agent: EXT_RAM is missing/);
  });

  it('flashes a vendor-style package (blank platform, letter-case names) with a split DA into the emulator', async () => {
    const out = dir.join('vendor-split');
    const made = await cli([
      'package',
      'make-demo',
      '--out',
      out,
      '--revision',
      'MC60CAR01A13',
      '--rom-size',
      '32768',
      '--da-format',
      'split',
    ]);
    expect(made.code).toBe(0);
    const cfgPath = `${out}/QUECTEL_SYNTH_MC60CAR01A13.cfg`;
    writeFileSync(
      cfgPath,
      readFileSync(cfgPath, 'utf8')
        .replace('platform: MT6261', 'platform:')
        .replace('- file: ROM', '- file: rom')
        .replace(/\n/g, '\r\n'),
    );
    const flash = await cli(
      [
        'flash',
        '--port',
        jig.slots[0]!.path,
        '--package',
        cfgPath,
        '--da',
        `${out}/Download_Agent`,
        '--baud',
        '460800',
        '--power',
        `emulator:${jig.controlAddress}#1`,
        '--json',
      ],
      50_000,
    );
    expect(flash.stderr).toBe('');
    expect(JSON.parse(flash.stdout)).toMatchObject({
      ok: true,
      revisionBefore: 'MC60CAR01A03',
      revisionAfter: 'MC60CAR01A13',
      errorCode: null,
    });
    expect(flash.code).toBe(0);
  }, 60_000);
});
