// The `flashstation` CLI as engineers run it: a child process against a virtual jig that lives
// in this test process (power through the jig's control socket).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVirtualJig, type VirtualJig } from '@station/emulator';

const BIN = resolve(__dirname, '../bin/flashstation.mjs');

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** `package make-demo` of revision MC60CAR01A13 into `out`, with extra options. */
function makeDemo(out: string, extra: string[] = []) {
  return cli(['package', 'make-demo', '--out', out, '--revision', 'MC60CAR01A13', ...extra]);
}

let dir: string;
let jig: VirtualJig;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flash-cli-'));
  jig = await createVirtualJig({
    slots: [{ slot: 1, revision: 'MC60CAR01A03' }],
    pacing: false,
    dir: join(dir, 'jig'),
  });
});

afterAll(async () => {
  await jig.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('flashstation CLI', () => {
  it('package make-demo writes a package and DA that inspect accepts', async () => {
    const out = join(dir, 'pkg');
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
    const bad = join(dir, 'bad');
    expect((await makeDemo(bad)).code).toBe(0);
    writeFileSync(join(bad, 'VIVA'), new Uint8Array(100));
    const inspect = await cli(['package', 'inspect', join(bad, 'QUECTEL_SYNTH_MC60CAR01A13.cfg')]);
    expect(inspect.code).toBe(1);
    expect(inspect.stdout).toMatch(/FAIL, ERR_9301_FS_INVALID_IMAGE/);
    expect(inspect.stdout).toMatch(/VIVA: no GFH header/);
  }, 30_000);

  it('flash --json downloads through the emulator power channel, then identify reads the new revision', async () => {
    const out = join(dir, 'pkg2');
    expect((await makeDemo(out, ['--rom-size', '32768', '--da-format', 'allinone'])).code).toBe(0);
    const port = jig.slots[0]!.path;
    const flash = await cli([
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
    ]);
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

  it('flash prints code, name, stage and hint and exits non-zero on failure', async () => {
    const out = join(dir, 'pkg');
    const flash = await cli([
      'flash',
      '--port',
      join(dir, 'no-such-tty'),
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
