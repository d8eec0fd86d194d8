import { describe, expect, it } from 'vitest';
import { be16, be32, ByteHost, norRecord, sum16 } from '../../test/byte-host';
import { DA_CONFIG, jumpToDa } from '../../test/da-host';

const IMEI = '861359030299596';

/** Connects to the DA with a table listing the part's id; returns the 198-byte report. */
function connect(host: ByteHost, id: [number, number, number]): Uint8Array {
  host.powerOnAndHandshake();
  jumpToDa(host);
  host.exchange([...DA_CONFIG, ...be32(2)]);
  expect(Array.from(host.exchange(norRecord(0x51, id)))).toEqual([0x5a, 0xa5, 0x69]);
  return host.exchange([0, 0, 0, 0]);
}

function mem(host: ByteHost, begin: number, length: number, ms: number): Uint8Array {
  return host.exchange(
    [0xd3, 0xa5, 1, ...be32(begin), ...be32(begin + length - 1), ...be32(0x100)],
    ms,
  );
}

function packet(data: Uint8Array): number[] {
  return [0x5a, ...data, ...be16(sum16(data))];
}

describe('DA with a configured flash part', () => {
  it('reports the part’s JEDEC id and size, and refuses an image past the part’s end', () => {
    const host = new ByteHost({ imei: IMEI, flashPart: 'W25Q32JV' });
    const report = connect(host, [0xef, 0x40, 0x16]);
    expect(Array.from(report.subarray(6, 8))).toEqual([0x00, 0x51]);
    expect(Array.from(report.subarray(8, 16))).toEqual([...be32(0x400000), ...be32(0x400000)]);
    expect(Array.from(report.subarray(16, 22))).toEqual([0, 0xef, 0, 0x40, 0, 0x16]);
    // An image ending one byte past 4 MiB: invalid range (3039) before anything is erased.
    expect(Array.from(mem(host, 0x3f0000, 0x10001, 10))).toEqual([0xa5, ...be32(3039)]);
  });

  it('a custom part’s id is what the DA matches', () => {
    const host = new ByteHost({
      imei: IMEI,
      flashPart: {
        jedec: 'C86018',
        sizeMiB: 16,
        sectorEraseMs: 50,
        blockEraseMs: 300,
        pageProgramMs: 0.6,
      },
    });
    const report = connect(host, [0xc8, 0x60, 0x18]);
    expect(Array.from(report.subarray(8, 12))).toEqual(be32(0x1000000));
  });

  it('pre-format costs a block erase per 64 KiB block, on the virtual clock', () => {
    const host = new ByteHost({ imei: IMEI, flashPart: 'W25Q128JV' });
    connect(host, [0xef, 0x40, 0x18]);
    // Two whole blocks: the first block's ACK after 150 ms, the second after 300 ms.
    const head = mem(host, 0x20000, 0x20000, 149);
    expect(Array.from(head)).toEqual([0x5a, 1, 0x5a, ...be32(2)]);
    expect(Array.from(host.exchange([], 1))).toEqual([0x5a]);
    expect(host.exchange([], 149)).toHaveLength(0);
    expect(Array.from(host.exchange([], 1))).toEqual([0x5a, 0x5a]);
  });

  it('an unaligned region erases its whole blocks with block erases and its ends by sectors', () => {
    const host = new ByteHost({ imei: IMEI, flashPart: 'W25Q128JV' });
    connect(host, [0xef, 0x40, 0x18]);
    // 0x21000..0x40FFF: sectors 0x21–0x2F (15), block 0x30000 (1), sector 0x40 (1):
    // 16 × 45 + 150 = 870 ms, paid out over the two progress ACKs (435 ms each).
    expect(Array.from(mem(host, 0x21000, 0x20000, 434))).toEqual([0x5a, 1, 0x5a, ...be32(2)]);
    expect(Array.from(host.exchange([], 1))).toEqual([0x5a]);
    expect(host.exchange([], 434)).toHaveLength(0);
    expect(Array.from(host.exchange([], 1))).toEqual([0x5a, 0x5a]);
  });

  it('acknowledges a packet, then programs it while the next arrives; the end waits for the part', () => {
    const host = new ByteHost({ imei: IMEI, flashPart: 'W25Q128JV' });
    connect(host, [0xef, 0x40, 0x18]);
    const image = new Uint8Array(3 * 4096).map((_, i) => i & 0xff);
    mem(host, 0x20000, image.length, 300);
    host.exchange([0xd5], 1);
    expect(Array.from(host.exchange([0x00, ...be32(4096)], 1))).toEqual([0x5a, 0x5a]);
    // 4 KiB = 16 pages × 0.4 ms = 6.4 ms of programming per packet.
    expect(Array.from(host.exchange(packet(image.subarray(0, 4096)), 0))).toEqual([0x69]);
    // The next packet at once: both buffers are full until the first is programmed (6.4 ms).
    expect(host.exchange(packet(image.subarray(4096, 8192)), 6)).toHaveLength(0);
    expect(Array.from(host.exchange([], 1))).toEqual([0x69]);
    // Late enough, the third is acknowledged at once; the "all written" ACKs wait for the part.
    host.clock.advance(20);
    expect(Array.from(host.exchange(packet(image.subarray(8192)), 0))).toEqual([0x69]);
    expect(host.exchange([], 6)).toHaveLength(0);
    expect(Array.from(host.exchange([], 1))).toEqual([0x5a, 0x5a, 0x5a]);
    expect(Array.from(host.exchange(be16(sum16(image))))).toEqual([0x5a]);
    expect(host.module.readFlash(0x20000, image.length)).toEqual(image);
  });

  it('a DA that programs before acknowledging holds every ACK for the program time', () => {
    const host = new ByteHost({
      imei: IMEI,
      flashPart: 'W25Q128JV',
      timing: { programBeforeAck: true },
    });
    connect(host, [0xef, 0x40, 0x18]);
    const image = new Uint8Array(4096).fill(0x11);
    mem(host, 0x20000, image.length, 300);
    host.exchange([0xd5], 1);
    host.exchange([0x00, ...be32(4096)], 1);
    expect(host.exchange(packet(image), 6)).toHaveLength(0);
    expect(Array.from(host.exchange([], 1))).toEqual([0x69, 0x5a, 0x5a, 0x5a]);
  });

  it('flashMiB and a part of another size cannot both be given', () => {
    expect(() => new ByteHost({ imei: IMEI, flashPart: 'W25Q128JV', flashMiB: 4 })).toThrow(
      /flashMiB 4 contradicts flash part W25Q128JV \(16 MiB\)/,
    );
  });
});
