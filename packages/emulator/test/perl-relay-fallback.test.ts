// A jig whose C relay cannot be built says so once and runs its slots on the perl relay. Here the
// build folder in the temp folder is one anyone may write, which the relay build refuses.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir, type TempDir } from '@station/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVirtualJig, type VirtualJig } from '../src/index';
import { HostPort, waitForState } from './host-port';

let tmp: TempDir;
let jig: VirtualJig | undefined;
let port: HostPort | undefined;
const savedTmpdir = process.env.TMPDIR;

beforeEach(async () => {
  tmp = await tempDir('perl-relay');
});

afterEach(async () => {
  await port?.close();
  await jig?.close();
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  await tmp.dispose();
});

describe('a jig without the C relay', () => {
  it('warns once and its slots work on the perl relay', async () => {
    // os.tmpdir() reads TMPDIR on every call; this file's module instance builds nothing before.
    process.env.TMPDIR = join(tmp.path, 'tmp');
    const shared = join(tmp.path, 'tmp', `flashstation-relay-${process.getuid!()}`);
    await mkdir(shared, { recursive: true });
    await chmod(shared, 0o777);
    const warnings: string[] = [];
    jig = await createVirtualJig({
      slots: 2,
      dir: join(tmp.path, 'jig'),
      onPerlRelay: (message) => warnings.push(message),
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${shared} is not a folder of this user's with mode 0700`);
    expect(warnings[0]).toContain('the slots use the perl relay');
    await waitForState(jig.slots[0]!.module, 'at');
    port = await HostPort.open(jig.slots[0]!.path);
    port.write('AT+GSN\r');
    expect(await port.readUntil('OK\r\n')).toContain(jig.slots[0]!.imei);
    // The relays this process started are perl's (the C one is named flashstation-pty-…).
    const children = spawnSync('ps', ['--ppid', String(process.pid), '-o', 'comm=']).stdout;
    expect(
      children
        .toString()
        .split('\n')
        .filter((c) => c === 'perl'),
    ).toHaveLength(2);
  });
});
