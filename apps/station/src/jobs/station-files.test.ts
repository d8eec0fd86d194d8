// The package / DA cache on a real file system: a hit is the same parsed object, and any change
// to the folder or a file it read (content, times, a file added) makes the next job read again.
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeSyntheticDa, makeSyntheticPackage, packageDigest } from '@station/mtk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStationPackage } from './firmware-store';
import { StationFiles } from './station-files';

const ID = 'pkg-A13';
let root: string;
let dir: string;
let demo: ReturnType<typeof makeSyntheticPackage>;
const romName = () => Object.keys(demo.files).find((n) => n.startsWith('ROM'))!;

/** Past the racy window: what a cache may keep is what was written before the read started. */
const settle = () => sleep(30);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'station-files-'));
  dir = join(root, ID);
  await mkdir(dir);
  demo = makeSyntheticPackage({ revision: 'MC60CAR01A13' });
  await writeFile(join(dir, demo.cfgName), demo.cfgText);
  for (const [name, data] of Object.entries(demo.files)) await writeFile(join(dir, name), data);
  await writeFile(join(root, 'da.bin'), makeSyntheticDa());
  await settle();
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('StationFiles', () => {
  it('reads a package once and serves the same parsed package while nothing changes', async () => {
    const files = new StationFiles(10);
    const first = await files.readPackage(root, ID);
    const second = await files.readPackage(root, ID);
    expect(second).toBe(first);
    expect(first.digest).toBe((await readStationPackage(root, ID)).digest);
    expect(files.packages).toMatchObject({ hits: 1, misses: 1 });
  });

  it('reads again when an image is rewritten with other bytes of the same size', async () => {
    const files = new StationFiles(10);
    const before = await files.readPackage(root, ID);
    const rom = demo.files[romName()]!.slice();
    rom[rom.length - 1] = rom.at(-1)! ^ 0xff;
    await writeFile(join(dir, romName()), rom);
    await settle();
    const after = await files.readPackage(root, ID);
    expect(after).not.toBe(before);
    expect(after.digest).not.toBe(before.digest);
    expect(after.digest).toBe(
      packageDigest({
        ...demo.files,
        [demo.cfgName]: new TextEncoder().encode(demo.cfgText),
        [romName()]: rom,
      }),
    );
    expect(files.packages).toMatchObject({ hits: 0, misses: 2 });
  });

  it('reads again when only a file time changes (a copy that kept the size)', async () => {
    const files = new StationFiles(10);
    const before = await files.readPackage(root, ID);
    await utimes(join(dir, demo.cfgName), new Date(), new Date(Date.now() - 60_000));
    await settle();
    const after = await files.readPackage(root, ID);
    expect(after).not.toBe(before);
    expect(after.digest).toBe(before.digest);
    expect(files.packages).toMatchObject({ hits: 0, misses: 2 });
  });

  it('sees a file added to the folder: a second .cfg makes the package invalid', async () => {
    const files = new StationFiles(10);
    await files.readPackage(root, ID);
    await writeFile(join(dir, 'other.cfg'), demo.cfgText);
    await expect(files.readPackage(root, ID)).rejects.toMatchObject({
      code: 'INVALID_CFG_FILE',
      message: expect.stringContaining('exactly one .cfg'),
    });
  });

  it('does not keep a package whose files changed just before it was read', async () => {
    const files = new StationFiles(60_000);
    const first = await files.readPackage(root, ID);
    const second = await files.readPackage(root, ID);
    expect(second).not.toBe(first);
    expect(files.packages).toMatchObject({ hits: 0, misses: 2 });
  });

  it('keeps the DA until its file is replaced', async () => {
    const files = new StationFiles(10);
    const da = join(root, 'da.bin');
    const first = await files.readDa(da);
    expect(await files.readDa(da)).toBe(first);
    await writeFile(da, makeSyntheticDa());
    await settle();
    const replaced = await files.readDa(da);
    expect(replaced).not.toBe(first);
    expect(replaced.da1.data).toEqual(first.da1.data);
    expect(files.agents).toMatchObject({ hits: 1, misses: 2 });
  });

  it('does not keep a failure: the package read after it is fixed', async () => {
    const files = new StationFiles(10);
    await rm(join(dir, romName()));
    await expect(files.readPackage(root, ID)).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
    await writeFile(join(dir, romName()), demo.files[romName()]!);
    await settle();
    expect((await files.readPackage(root, ID)).digest).toBe(
      (await readStationPackage(root, ID)).digest,
    );
  });
});
