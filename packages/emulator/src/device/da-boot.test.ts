// The emulator's full-flow DA commands byte by byte (#11 §3): what a DA accepts, and what it
// refuses with A5 + 3039 (S_DA_INVALID_RANGE) as a real one would.
import { describe, expect, it } from 'vitest';
import { be16, be32, ByteHost, sum16 } from '../../test/byte-host';
import { connectDa } from '../../test/da-host';

const IMEI = '861359030299596';
const REFUSED = [0xa5, ...be32(3039)];

function profile(type: number, load: number, size: number): number[] {
  return [
    0x5a,
    0x07,
    ...be16(type),
    ...be32(load),
    ...be32(load + size),
    ...be32(1),
    ...be32(0xffffffff),
    0,
    ...be32(0x60),
    ...be32(0),
    ...be32(size),
    0,
    0,
    ...be32(1),
  ];
}

function startBootLoaders(host: ByteHost, count: number): void {
  expect(Array.from(host.exchange([0x55, 0x07]))).toEqual([0x5a]);
  expect(Array.from(host.exchange([0x51]))).toEqual([0x5a]);
  expect(Array.from(host.exchange([...be32(4096), 0x07]))).toEqual([0x5a, 0x5a]); // empty flash
  expect(Array.from(host.exchange([...be32(count), 0x5a, 0xa5]))).toEqual([0x5a]);
}

describe('DA full-flow commands', () => {
  it('FORMAT_CBR, then GET_CBR says no CBR (3152) until CREATE_CBR made one', () => {
    const host = new ByteHost({ imei: IMEI });
    connectDa(host);
    expect(Array.from(host.exchange([0x56]))).toEqual([0x5a]);
    expect(Array.from(host.exchange([0x52]))).toEqual([0xa5, ...be32(3152)]);
    const create = [...be32(8), ...be32(0), ...be32(2), ...be32(4), ...be32(16), 0, ...be32(1)];
    expect(Array.from(host.exchange([0x53, ...create]))).toEqual([0x5a]);
    const setting = host.exchange([0x52]);
    expect(Array.from(setting.subarray(0, 1))).toEqual([0x5a]);
    expect(setting).toHaveLength(1 + 6 * 4 + 1 + 4);
    expect(Array.from(setting.subarray(5, 9))).toEqual(be32(8)); // normal blocks
  });

  it('writes an ARM_BL at flash 0 and an EXT_BL at its address, each packet answered 69', () => {
    const host = new ByteHost({ imei: IMEI });
    connectDa(host);
    startBootLoaders(host, 2);
    const bl = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff);
    const ext = new Uint8Array(300).fill(0x33);
    expect(Array.from(host.exchange(profile(1, 0x70006000, bl.length)))).toEqual([0x5a]);
    // The last profile's ACK, then "profiles set" and "self-update check"; then the boot region
    // is erased (32 sectors) before the DA takes packets.
    expect(Array.from(host.exchange(profile(2, 0x10003000, ext.length)))).toEqual([
      0x5a, 0x5a, 0x5a,
    ]);
    host.exchange([], 100);
    const replies: number[] = [];
    for (const packet of [bl.subarray(0, 4096), bl.subarray(4096), ext])
      replies.push(...host.exchange([0x5a, ...packet, ...be16(sum16(packet))], 5));
    // Each packet answered 69, then 5A + the download status (2, as in the RePhone log).
    expect(replies).toEqual([0x69, 0x69, 0x69, 0x5a, ...be32(2)]);
    expect(host.module.readFlash(0, bl.length)).toEqual(bl);
    expect(host.module.readFlash(0x3000, ext.length)).toEqual(ext);
  });

  it('refuses DOWNLOAD_BLOADER before FORMAT_HB, and a boot loader reaching past 0x20000', () => {
    const host = new ByteHost({ imei: IMEI });
    connectDa(host);
    expect(Array.from(host.exchange([0x51]))).toEqual(REFUSED);
    const other = new ByteHost({ imei: IMEI });
    connectDa(other);
    startBootLoaders(other, 1);
    expect(Array.from(other.exchange(profile(2, 0x1001f000, 0x2000)))).toEqual(REFUSED);
  });

  it('refuses two boot loaders that overlap, and a bad packet checksum', () => {
    const host = new ByteHost({ imei: IMEI });
    connectDa(host);
    startBootLoaders(host, 2);
    expect(Array.from(host.exchange(profile(1, 0x70006000, 0x4000)))).toEqual([0x5a]);
    expect(Array.from(host.exchange(profile(2, 0x10003000, 0x100)))).toEqual(REFUSED);
    const other = new ByteHost({ imei: IMEI });
    connectDa(other);
    startBootLoaders(other, 1);
    other.exchange(profile(1, 0x70006000, 16));
    other.exchange([], 100);
    const data = new Uint8Array(16).fill(1);
    expect(Array.from(other.exchange([0x5a, ...data, ...be16(sum16(data) + 1)], 5))).toEqual([
      0xa5,
      ...be32(3064),
    ]);
  });

  it('FORMAT erases a range with progress to 100 %, and refuses one past the part', () => {
    const host = new ByteHost({ imei: IMEI });
    connectDa(host);
    host.module.flash.program(0x300000, new Uint8Array(16).fill(0));
    const head = host.exchange([0xd4, 0, 0, 0, ...be32(0), ...be32(0x400000)], 500);
    expect(Array.from(head.subarray(0, 2))).toEqual([0x5a, 0x5a]);
    const steps: number[] = [];
    let reply = head.subarray(2);
    for (let i = 0; i < 10; i++) {
      steps.push(reply[4]!);
      reply = host.exchange([0x5a], 500);
    }
    expect(steps).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(Array.from(reply)).toEqual([0x5a]);
    expect(host.module.readFlash(0x300000, 16)).toEqual(new Uint8Array(16).fill(0xff));
    const past = host.exchange([0xd4, 0, 0, 0, ...be32(0x3ff000), ...be32(0x2000)], 5);
    expect(Array.from(past)).toEqual([0x5a, ...REFUSED]);
  });
});
