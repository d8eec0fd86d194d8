// FdWriter on plain files: output lands whole and in order; a refused write is reported once.
// (The full-buffer retry is exercised on real ptys in pty-port.test.ts.)
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, type TempDir } from '@station/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FdWriter } from './fd-writer';

let tmp: TempDir;
const descriptors: number[] = [];
beforeEach(async () => {
  tmp = await tempDir('fd-writer');
});
afterEach(async () => {
  for (const fd of descriptors.splice(0)) closeSync(fd);
  await tmp.dispose();
});

function open(name: string, flags: string): number {
  const path = join(tmp.path, name);
  if (flags === 'r') writeFileSync(path, '');
  const fd = openSync(path, flags);
  descriptors.push(fd);
  return fd;
}

describe('FdWriter', () => {
  it('writes every chunk in order', async () => {
    const fd = open('out', 'w');
    const errors: Error[] = [];
    const writer = new FdWriter(fd, (e) => errors.push(e));
    for (let i = 0; i < 50; i++) writer.write(Uint8Array.from({ length: 100 }, () => i));
    await expect
      .poll(() => readFileSync(join(tmp.path, 'out')).length, { timeout: 2000 })
      .toBe(5000);
    const out = readFileSync(join(tmp.path, 'out'));
    expect(out.every((b, at) => b === Math.floor(at / 100))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('reports a refused write once and drops the rest', async () => {
    const errors: NodeJS.ErrnoException[] = [];
    const writer = new FdWriter(open('in', 'r'), (e) => errors.push(e));
    writer.write(Uint8Array.of(1));
    writer.write(Uint8Array.of(2));
    await expect.poll(() => errors.length, { timeout: 2000 }).toBe(1);
    writer.write(Uint8Array.of(3));
    await writer.stop();
    expect(errors.map((e) => e.code)).toEqual(['EBADF']);
  });

  it('writes nothing once its owner reports the descriptor closing', async () => {
    const path = join(tmp.path, 'gated');
    let isOpen = true;
    const writer = new FdWriter(
      open('gated', 'w'),
      () => undefined,
      () => isOpen,
    );
    writer.write(Uint8Array.of(1));
    await expect.poll(() => readFileSync(path).length, { timeout: 2000 }).toBe(1);
    isOpen = false;
    writer.write(Uint8Array.of(2));
    await writer.stop();
    expect([...readFileSync(path)]).toEqual([1]);
  });
});
