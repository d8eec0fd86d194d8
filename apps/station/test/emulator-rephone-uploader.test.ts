// Conformance with a second, independent host (#11 §5): Stefan Mandl's firmwareUploader.py for
// the RePhone (MT2502), real pyserial on a real socat pseudo-terminal, against the paced emulator.
// Run from a fetched mirror of loboris/RePhone_on_Linux (never committed); skipped with a message
// when the mirror or pyserial is absent. docs/emulator.md, "Second independent host".
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publicMirrors } from '@station/testkit';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const mirror = publicMirrors.rephone;
const tool = 'FirmwareUpdate/Firmware_update_Linux/firmwareUploader.py';
const mirrored =
  spawnSync('git', ['--git-dir', mirror, 'cat-file', '-e', `HEAD:${tool}`]).status === 0;
const pyserial = spawnSync('/usr/bin/python3', ['-c', 'import serial']).status === 0;
if (!mirrored) console.warn(`skipped: no RePhone_on_Linux mirror at ${mirror} (REPHONE_GIT_DIR)`);
else if (!pyserial) console.warn('skipped: /usr/bin/python3 has no pyserial (python3-serial)');

/** The whole flash takes 1–2 minutes at 115200; REPHONE_FULL_FLOW=0 leaves it out. */
const fullFlow = process.env.REPHONE_FULL_FLOW !== '0';
if (mirrored && pyserial && !fullFlow)
  console.warn('skipped: firmwareUploader.py full flash (REPHONE_FULL_FLOW=0)');

function run(...args: string[]): Record<string, unknown> {
  const out = spawnSync('bash', ['scripts/conformance/rephone-uploader.sh', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 590_000,
  });
  const last = out.stdout.trim().split('\n').pop() ?? '';
  if (!last.startsWith('{')) throw new Error(`no result line:\n${out.stdout}\n${out.stderr}`);
  return JSON.parse(last) as Record<string, unknown>;
}

describe.skipIf(!mirrored || !pyserial)(
  'firmwareUploader.py (RePhone) against the emulator',
  () => {
    it(
      'connects like a USB device, then the boot ROM answers its register traffic',
      { timeout: 60_000 },
      () => {
        const result = run('--until', 'pmu-gpio', '--timeout', '40');
        // Each of these steps raises in the script on a wrong echo, status or value.
        expect(result).toMatchObject({
          result: 'PASS',
          reached: ['port-open', 'handshake', 'hardware-code', 'efuse', 'pmu-gpio'],
          moduleState: 'brom',
        });
        expect(result.hostError).toBeNull();
      },
    );

    it('stops at the hardware code on a module of another chip (6260)', { timeout: 60_000 }, () => {
      const result = run('--fault', 'wrongChip', '--timeout', '40');
      expect(result).toMatchObject({
        result: 'FAIL',
        reached: ['port-open', 'handshake'],
        stoppedAt: 'hardware-code',
        hostError: null, // the script prints "Wrong hardware code. exit." and returns
      });
    });

    it(
      'stops with its own "EMI Training fail" on a module with a dead PSRAM',
      { timeout: 90_000 },
      () => {
        const result = run('--fault', 'deadPsram', '--timeout', '60');
        expect(result).toMatchObject({ result: 'FAIL', stoppedAt: 'psram-calibration' });
        expect(result.reached).toContain('pmu-gpio');
        expect(result.reached).not.toContain('psram-calibration');
      },
    );

    it.skipIf(!fullFlow)(
      'flashes boot loaders, ROM and VIVA at 115200 paced; ATI reports the new revision',
      { timeout: 600_000 },
      () => {
        const result = run('--timeout', '480');
        expect(result).toMatchObject({
          result: 'PASS',
          stoppedAt: null,
          hostError: null,
          before: 'MC60CAR01A03',
          after: 'MC60CAR01A13',
          flash: { rom: true, viva: true },
        });
        const flash = result.flash as Record<string, number>;
        expect(flash.intBootLoaderAt).toBeGreaterThanOrEqual(0);
        expect(flash.extBootLoaderAt).toBeGreaterThan(flash.intBootLoaderAt!);
      },
    );
  },
);
