// The `flashstation` CLI as engineers run it: a child process against a virtual jig that lives
// in this test process (power through the jig's control socket).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVirtualJig, type VirtualJig } from '@station/emulator';
import { tempDir, type TempDir } from '@station/testkit';
import { runFlashstation as cli } from './flashstation-cli';

/** Runs the CLI to its end; past `timeoutMs` it is killed and the call fails with its output. */
/** `package make-demo` of revision MC60CAR01A13 into `out`, with extra options. */
function makeDemo(out: string, extra: string[] = []) {
  return cli(['package', 'make-demo', '--out', out, '--revision', 'MC60CAR01A13', ...extra]);
}

let dir: TempDir;
let jig: VirtualJig;

beforeAll(async () => {
  dir = await tempDir('flash-cli');
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

describe('flashstation CLI', () => {
  it('package make-demo writes a package and DA that inspect accepts', async () => {
    const out = dir.join('pkg');
    expect((await makeDemo(out, ['--rom-size', '32768', '--viva-size', '8192'])).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'BOOTLOADER_MC60CAR01A13.bin',
      'QUECTEL_SYNTH_MC60CAR01A13.cfg',
      'ROM',
      'VIVA',
      'mt6261_da.bin',
    ]);
    const inspect = await cli([
      'package',
      'inspect',
      join(out, 'QUECTEL_SYNTH_MC60CAR01A13.cfg'),
      '--json',
    ]);
    expect(inspect.code).toBe(0);
    expect(JSON.parse(inspect.stdout)).toMatchObject({
      ok: true,
      platform: 'MT6261',
      revision: 'MC60CAR01A13',
      images: [
        { name: 'ROM', length: 32768 },
        { name: 'VIVA', length: 8192 },
      ],
    });
  }, 30_000);

  it('package inspect explains a broken package', async () => {
    const bad = dir.join('bad');
    expect((await makeDemo(bad)).code).toBe(0);
    writeFileSync(join(bad, 'VIVA'), new Uint8Array(100));
    const inspect = await cli(['package', 'inspect', join(bad, 'QUECTEL_SYNTH_MC60CAR01A13.cfg')]);
    expect(inspect.code).toBe(1);
    expect(inspect.stdout).toMatch(/FAIL, ERR_9301_FS_INVALID_IMAGE/);
    expect(inspect.stdout).toMatch(/VIVA: no GFH header/);
  }, 30_000);

  it('flash --json downloads through the emulator power channel, then identify reads the new revision', async () => {
    const out = dir.join('pkg2');
    expect((await makeDemo(out, ['--rom-size', '32768', '--da-format', 'allinone'])).code).toBe(0);
    const port = jig.slots[0]!.path;
    const flash = await cli(
      [
        'flash',
        '--port',
        port,
        '--package',
        join(out, 'QUECTEL_SYNTH_MC60CAR01A13.cfg'),
        '--da',
        join(out, 'MTK_AllInOne_DA.bin'),
        '--baud',
        '460800',
        '--power',
        `emulator:${jig.controlAddress}#1`,
        '--imei',
        jig.slots[0]!.imei,
        '--json',
      ],
      50_000,
    );
    expect(flash.stderr).toBe('');
    const result = JSON.parse(flash.stdout);
    expect(result).toMatchObject({
      ok: true,
      imei: jig.slots[0]!.imei,
      revisionBefore: 'MC60CAR01A03',
      revisionAfter: 'MC60CAR01A13',
      errorCode: null,
      baud: 460800,
      flashId: '0x001660C8',
    });
    expect(Object.keys(result.stageTimings)).toEqual(
      expect.arrayContaining(['preflight', 'brom', 'da_upload', 'write', 'verify', 'postflight']),
    );
    expect(flash.code).toBe(0);

    const identify = await cli(['identify', '--port', port, '--json']);
    expect(JSON.parse(identify.stdout)).toMatchObject({
      ok: true,
      revision: 'MC60CAR01A13',
      imei: jig.slots[0]!.imei,
    });
  }, 60_000);

  it('flash --trace prints the protocol trace after a failure, ending with the failing step', async () => {
    const out = dir.join('pkg');
    const flash = await cli([
      'flash',
      '--port',
      jig.slots[0]!.path,
      '--package',
      join(out, 'QUECTEL_SYNTH_MC60CAR01A13.cfg'),
      '--da',
      join(out, 'mt6261_da.bin'),
      '--power',
      `emulator:${jig.controlAddress}#1`,
      '--imei',
      '861359031000027',
      '--trace',
    ]);
    expect(flash.code).toBe(1);
    expect(flash.stdout).toMatch(/FAIL, ERR_\d+_\w+/);
    const trace = flash.stdout.slice(flash.stdout.indexOf('protocol trace:')).trim().split('\n');
    expect(trace[0]).toBe('protocol trace:');
    expect(trace.slice(1).every((line) => /^ +\+\d+ ms {2}\w+ +\S.* [✓✗]$/.test(line))).toBe(true);
    expect(trace.at(-2)).toMatch(new RegExp(`preflight +AT\\+GSN → ${jig.slots[0]!.imei} ✓$`));
    expect(trace.at(-1)).toMatch(/preflight +IMEI_MISMATCH ✗$/);
  }, 30_000);

  it('flash prints code, name, stage and hint and exits non-zero on failure', async () => {
    const out = dir.join('pkg');
    const flash = await cli([
      'flash',
      '--port',
      dir.join('no-such-tty'),
      '--package',
      join(out, 'QUECTEL_SYNTH_MC60CAR01A13.cfg'),
      '--da',
      join(out, 'mt6261_da.bin'),
    ]);
    expect(flash.code).toBe(1);
    expect(flash.stdout).toMatch(/FAIL, ERR_1011_S_COM_PORT_OPEN_FAIL/);
    expect(flash.stdout).toMatch(/stage: +preflight/);
    expect(flash.stdout).toMatch(/operator: Serial adapter not available/);
  }, 30_000);
});
