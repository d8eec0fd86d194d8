// Real socat, real pseudo-terminals: the pair appears, disappears on close(), and does not
// outlive an emulator process killed with SIGKILL.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startProcess, tempDir, waitFor, type TempDir } from '@station/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSocatPair, PtyError } from './socat-pair';

let tmp: TempDir;
let dir: string;
beforeEach(async () => {
  tmp = await tempDir('socat-pair');
  dir = tmp.path;
});
afterEach(() => tmp.dispose());

describe('createSocatPair', () => {
  it('creates both tty links and removes them on close', async () => {
    const pair = await createSocatPair(join(dir, 'slot-01'), join(dir, '.slot-01.dev'));
    expect(existsSync(pair.hostPath)).toBe(true);
    expect(existsSync(pair.devicePath)).toBe(true);
    await pair.close();
    await waitFor('the host link to be removed', () => !existsSync(pair.hostPath));
    expect(existsSync(pair.devicePath)).toBe(false);
  });

  it('does not outlive an emulator process killed with SIGKILL', async () => {
    const hostPath = join(dir, 'slot-02');
    const fixture = join(import.meta.dirname, '../../test/fixtures/hold-socat-pair.ts');
    const child = startProcess(
      'socat holder',
      process.execPath,
      ['--import', 'tsx', fixture, hostPath, join(dir, '.slot-02.dev')],
      { cwd: repoRoot },
    );
    try {
      await child.waitForLine('ready');
      expect(existsSync(hostPath)).toBe(true);
      // The holder alone (not its group): the guard shell must notice and take socat down.
      child.signal('SIGKILL');
      await waitFor('socat to go after its parent was killed', () => !existsSync(hostPath));
    } finally {
      await child.release();
    }
  });

  it('says how to install socat when it is missing', async () => {
    await expect(
      createSocatPair(join(dir, 'slot-03'), join(dir, '.slot-03.dev'), 'socat-not-installed-here'),
    ).rejects.toThrow(new PtyError('socat not installed: apt-get install socat'));
  });
});
