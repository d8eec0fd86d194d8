// Real socat, real pseudo-terminals: the pair appears, disappears on close(), and does not
// outlive an emulator process killed with SIGKILL.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSocatPair, PtyError } from './socat-pair';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'socat-pair-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function waitUntil(condition: () => boolean, what: string, limitMs = 10_000) {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('createSocatPair', () => {
  it('creates both tty links and removes them on close', async () => {
    const pair = await createSocatPair(join(dir, 'slot-01'), join(dir, '.slot-01.dev'));
    expect(existsSync(pair.hostPath)).toBe(true);
    expect(existsSync(pair.devicePath)).toBe(true);
    await pair.close();
    await waitUntil(() => !existsSync(pair.hostPath), 'host link removed');
    expect(existsSync(pair.devicePath)).toBe(false);
  });

  it('does not outlive an emulator process killed with SIGKILL', async () => {
    const hostPath = join(dir, 'slot-02');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '../../test/fixtures/hold-socat-pair.ts'),
        hostPath,
        join(dir, '.slot-02.dev'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
    });
    expect(existsSync(hostPath)).toBe(true);
    child.kill('SIGKILL');
    await waitUntil(() => !existsSync(hostPath), 'socat gone after its parent was killed');
  });

  it('says how to install socat when it is missing', async () => {
    await expect(
      createSocatPair(join(dir, 'slot-03'), join(dir, '.slot-03.dev'), 'socat-not-installed-here'),
    ).rejects.toThrow(new PtyError('socat not installed: apt-get install socat'));
  });
});
