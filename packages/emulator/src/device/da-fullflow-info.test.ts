// The e-fuse backup check (75) and ERASE_MAUI_INFO (5B), byte by byte after a DA connect, as
// FlashTool's log and firmwareUploader.py exchange them.
import { describe, expect, it } from 'vitest';
import { be32, ByteHost } from '../../test/byte-host';
import { connectDa } from '../../test/da-host';

describe('DA e-fuse backup check and ERASE_MAUI_INFO', () => {
  it('75 answers the maker word and two backup words, and the DA takes the next command', () => {
    const host = new ByteHost();
    connectDa(host);
    expect(Array.from(host.exchange([0x75]))).toEqual([
      ...be32(0xabababab),
      ...be32(0x00011c7a),
      ...be32(0x0001d794),
    ]);
    expect(Array.from(host.exchange([0x75]))).toHaveLength(12);
  });

  it('5B reports no MAUI info (0, 0) and the ROM block 0x20000, and erases nothing', () => {
    const host = new ByteHost();
    connectDa(host);
    const before = host.module.readFlash(0x20000, 0x1000);
    expect(Array.from(host.exchange([0x5b]))).toEqual([...be32(0), ...be32(0), ...be32(0x20000)]);
    expect(host.module.readFlash(0x20000, 0x1000)).toEqual(before);
    expect(Array.from(host.exchange([0x99]))).toEqual([0xbb]); // still in the command loop
  });
});
