import { FLASH_ERRORS } from '@station/mtk';
import { describe, expect, it } from 'vitest';
import { faultClassOf, OUTSIDE_CATALOGUE } from './fault-class';

describe('faultClassOf', () => {
  it("reads a catalogue entry by the name the station stores (MediaTek's S_… or our FS_…)", () => {
    expect(faultClassOf('S_FT_CHANGE_BAUDRATE_FAIL')).toEqual({ blame: 'line', retry: 'baud' });
    expect(faultClassOf('S_BROM_CMD_STARTCMD_TIMEOUT')).toEqual({ blame: 'jig', retry: 'power' });
    expect(faultClassOf('S_FT_DOWNLOAD_CHKSUM_MISMATCH')).toEqual({
      blame: 'module',
      retry: 'never',
    });
    for (const entry of Object.values(FLASH_ERRORS))
      expect.soft(faultClassOf(entry.name), entry.name).toEqual({
        blame: entry.blame,
        retry: entry.retry,
      });
  });

  it('holds the names outside the catalogue, a cancel and no name at all against nobody', () => {
    for (const name of [...OUTSIDE_CATALOGUE, 'FS_CANCELED', null, undefined, 'SOMETHING_NEW'])
      expect.soft(faultClassOf(name), String(name)).toEqual({ blame: 'none', retry: 'never' });
  });

  it('lists no name the catalogue has', () => {
    const names = new Set(Object.values(FLASH_ERRORS).map((e) => e.name as string));
    expect(OUTSIDE_CATALOGUE.filter((name) => names.has(name))).toEqual([]);
  });
});
