// DA_FILE / --da naming a split Download Agent folder (#11 §2), on a real temp folder.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticSplitDa, SYNTHETIC_DA_FLASH_IDS } from '@station/mtk';
import { tempDir, type TempDir } from '@station/testkit';
import { readStationDa } from '../jobs/firmware-store';
import { splitDaFolder } from './split-da';

let dir: TempDir;
let folder: string;

beforeAll(async () => {
  dir = await tempDir('split-da');
  folder = dir.join('Download_Agent', '6261');
  mkdirSync(folder, { recursive: true });
  for (const [part, data] of Object.entries(makeSyntheticSplitDa()))
    writeFileSync(`${folder}/${part}`, data);
});

afterAll(async () => {
  await dir?.dispose();
});

describe('split DA on disk', () => {
  it('the folder or any of its parts means the folder; other paths do not', () => {
    expect(splitDaFolder(folder)).toBe(folder);
    expect(splitDaFolder(`${folder}/EXT_RAM`)).toBe(folder);
    expect(splitDaFolder(`${folder}/mt6261_da.bin`)).toBeUndefined();
    expect(splitDaFolder(dir.join('absent'))).toBeUndefined();
  });

  it("the station's DA_FILE may name the folder", async () => {
    const da = await readStationDa(folder);
    expect(da).toMatchObject({ format: 'split', da1: { loadAddress: 0x70007000 } });
    expect(da.da2.loadAddress).toBe(0x10020000);
    expect(da.flashTable).toHaveLength(SYNTHETIC_DA_FLASH_IDS.length);
  });

  it('a missing part is a setup error naming the part', async () => {
    rmSync(`${folder}/NOR_FLASH_TABLE`);
    await expect(readStationDa(`${folder}/INT_SYSRAM`)).rejects.toMatchObject({
      code: 'INVALID_DA_FILE',
      message: expect.stringContaining('NOR_FLASH_TABLE is missing'),
    });
  });
});
