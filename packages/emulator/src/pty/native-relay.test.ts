// The C relay hub is built with the machine's compiler once per source version, and a machine
// without one gets null (the perl relay then serves).
import { chmod, mkdir, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tempDir, type TempDir } from '@station/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildNativeRelay, privateDir } from './native-relay';

const hasCc = spawnSync('cc', ['--version']).status === 0;

let tmp: TempDir;
beforeEach(async () => {
  tmp = await tempDir('native-relay');
});
afterEach(async () => {
  await tmp.dispose();
});

describe('native relay build', () => {
  it('names why there is no binary without a compiler', async () => {
    const relay = await buildNativeRelay('cc-not-installed-here', tmp.path);
    expect(relay.binary).toBeNull();
    expect(relay).toMatchObject({
      reason: expect.stringMatching(/^cc-not-installed-here .*ENOENT/),
    });
  });

  it.skipIf(!hasCc)('builds once and reuses the binary', { timeout: 60_000 }, async () => {
    const { binary } = await buildNativeRelay('cc', tmp.path);
    expect(binary).toMatch(/flashstation-pty-relay-hub-[0-9a-f]{16}$/);
    const first = await stat(binary!);
    expect(first.mode & 0o111).not.toBe(0);
    // Found again, not rebuilt: even a missing compiler now gets the binary.
    expect((await buildNativeRelay('cc-not-installed-here', tmp.path)).binary).toBe(binary);
    expect((await stat(binary!)).mtimeMs).toBe(first.mtimeMs);
    // Run without arguments it names its usage and fails: the binary is the hub.
    const usage = spawnSync(binary!, []);
    expect(usage.status).toBe(2);
    expect(usage.stderr.toString()).toContain('usage: hub <offsetMs>');
  });

  it('is built only into a folder no one else can write', async () => {
    const mine = join(tmp.path, 'mine');
    expect(await privateDir(mine)).toBe(mine);
    expect((await stat(mine)).mode & 0o777).toBe(0o700);
    const shared = join(tmp.path, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o777);
    expect(await privateDir(shared)).toBeNull();
    const link = join(tmp.path, 'link');
    await symlink(mine, link);
    expect(await privateDir(link)).toBeNull();
  });
});
