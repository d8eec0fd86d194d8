// Conformance: the BROM stage of RePhone's firmwareUploader.py (a field-used MT2502 host, Python,
// real pyserial on a real socat pty) against emulated modules: its PSRAM calibration sweep and
// RTC power-key latch pass on a healthy module and stop with its own error on dead PSRAM.
// Skipped when the loboris/RePhone_on_Linux mirror or /usr/bin/python3's pyserial is absent.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVirtualJig, type VirtualJig } from '@station/emulator';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const mirror = process.env.REPHONE_GIT_DIR ?? '/work/.mirror/loboris+RePhone_on_Linux/repo/.git';
const UPLOADER = 'HEAD:FirmwareUpdate/Firmware_update_Linux/firmwareUploader.py';
const available =
  spawnSync('git', ['--git-dir', mirror, 'cat-file', '-e', UPLOADER]).status === 0 &&
  spawnSync('/usr/bin/python3', ['-c', 'import serial']).status === 0;

/** Runs the harness without blocking this process's event loop (the jig runs in it). */
function runBromStage(uploader: string, jig: VirtualJig, slot: number) {
  const args = [
    join(root, 'scripts/conformance/rephone-brom-stage.py'),
    uploader,
    jig.slots[slot - 1]!.path,
    jig.controlAddress,
    String(slot),
  ];
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const child = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', () => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop();
      if (!last) reject(new Error(`no result from the harness: ${err}`));
      else resolve(JSON.parse(last) as Record<string, unknown>);
    });
  });
}

describe.skipIf(!available)('RePhone firmwareUploader.py BROM stage against the emulator', () => {
  let dir: string;
  let jig: VirtualJig;
  let uploader: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rephone-brom-'));
    uploader = join(dir, 'firmwareUploader.py');
    const source = spawnSync('git', ['--git-dir', mirror, 'show', UPLOADER], { encoding: 'utf8' });
    await writeFile(uploader, source.stdout);
    jig = await createVirtualJig({
      slots: [{ slot: 1 }, { slot: 2, faults: { deadPsram: true } }],
      dir: join(dir, 'jig'),
    });
  });
  afterAll(async () => {
    await jig?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'calibrates PSRAM and latches the RTC power key on a healthy module',
    { timeout: 120_000 },
    async () => {
      expect(await runBromStage(uploader, jig, 1)).toEqual({
        result: 'PASS',
        hwCode: 0x6261,
        efuse: 0x36000000,
        powerKeys: [0xa357, 0x67d2],
      });
    },
  );

  it('stops with "EMI Training fail" on a dead-PSRAM module', { timeout: 120_000 }, async () => {
    expect(await runBromStage(uploader, jig, 2)).toMatchObject({
      result: 'FAIL',
      error: 'EMI Training fail...... stop',
    });
  });
});
