// Conformance: the reference host waybyte/tool-pymtkflasher (Python, real pyserial on the
// emulator's real pseudo-terminal) flashes a synthetic ROM into an emulated module with both
// directions paced and its writes held back at 4 KiB as by a USB adapter, at 460800 and 921600;
// then the module's AT firmware reports the new revision. Skipped when the mirror is absent.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const mirror = process.env.PYMTKFLASHER_GIT_DIR ?? '/work/.mirror/waybyte+tool-pymtkflasher/repo';
const available =
  spawnSync('git', ['--git-dir', mirror, 'cat-file', '-e', 'HEAD:mtkflasher.py']).status === 0;

describe.skipIf(!available)('pymtkflasher against the paced emulator', () => {
  it.each([460800, 921600])(
    'flashes a new revision at %i and ATI reports it',
    { timeout: 120_000 },
    (baud) => {
      const out = execFileSync(
        'bash',
        ['scripts/conformance/pymtkflasher.sh', '--baud', String(baud)],
        { cwd: root, encoding: 'utf8', timeout: 110_000 },
      );
      const result = JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
      expect(result).toMatchObject({
        result: 'PASS',
        baud,
        pacing: true,
        before: 'MC60CAR01A03',
        after: 'MC60CAR01A13',
      });
    },
  );
});
