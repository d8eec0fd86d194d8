// Conformance: the reference host waybyte/tool-pymtkflasher (Python, real pyserial on a real
// socat pseudo-terminal) flashes a synthetic ROM into an emulated module at 460800, then the
// module's AT firmware reports the new revision. Skipped when the pymtkflasher mirror is absent.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const mirror = process.env.PYMTKFLASHER_GIT_DIR ?? '/work/.mirror/waybyte+tool-pymtkflasher/repo';
const available =
  spawnSync('git', ['--git-dir', mirror, 'cat-file', '-e', 'HEAD:mtkflasher.py']).status === 0;

describe.skipIf(!available)('pymtkflasher against the emulator', () => {
  it('flashes a new revision at 460800 and ATI reports it', { timeout: 120_000 }, () => {
    const out = execFileSync('bash', ['scripts/conformance/pymtkflasher.sh'], {
      cwd: root,
      encoding: 'utf8',
    });
    const result = JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(result).toMatchObject({
      result: 'PASS',
      baud: 460800,
      before: 'MC60CAR01A03',
      after: 'MC60CAR01A13',
    });
  });
});
