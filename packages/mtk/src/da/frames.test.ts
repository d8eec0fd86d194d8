// Golden frames: the exact bytes the host puts on the wire, and parsing of device output split
// at every byte boundary.
import { describe, expect, it } from 'vitest';
import { StageClock } from '../stage-clock';
import { Link } from '../link';
import { createMemoryTransportPair } from '../testing/memory-transport';
import { write16 } from '../brom/commands';
import { daConfigBurst, exchangeFlashTable } from './flash-table';
import { memBlockBytes, memHeader } from './mem';
import { DA_REPORT_SIZE, parseDaReport, qflashFlashId, readDaReport } from './report';
import { DA_REPORT_FIELDS } from './report-fields';
import { finishDa } from './finish';
import { waitDaSync } from './sync';
import { writeImages } from './write';

const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .split(/\s+/)
      .filter(Boolean)
      .map((b) => parseInt(b, 16)),
  );

/** A 198-byte report as shared-wire §3 describes it, for GD25LQ32. */
function goldenReport(): Uint8Array {
  const r = new Uint8Array(DA_REPORT_SIZE);
  r.set(hex('00 00 00 00  00 00  00 00  00 40 00 00  00 00 00 00  00 C8 00 60 00 16 00 00'), 0);
  r.set(hex('00 00 0C 45'), 54); // NAND 3141
  r.set(hex('00 00 0C 45'), 89); // eMMC 3141
  r.set(hex('00 00 00 00  00 01 00 00  00 00 00 00  00  00  00 40 00 00'), 133);
  r.set(hex('AB AB AB AB'), 163);
  r.set(hex('5A 5A 00 00 00 00 00 00 00 00 C1'), 187);
  return r;
}

describe('golden host frames', () => {
  it('config burst matches pymtkflasher for 264 records', () => {
    expect(daConfigBurst(264)).toEqual(hex('A5 05 FE 00 08 00 70 07 FF FF 02 00 00 01 08'));
  });

  it('MEM header and block', () => {
    expect(memHeader(2)).toEqual(hex('D3 A5 02'));
    expect(memBlockBytes({ begin: 0x20000, length: 0x1000, type: 0x100 })).toEqual(
      hex('00 02 00 00  00 02 0F FF  00 00 01 00'),
    );
  });

  it('WRITE16 sends command, address, count, then the word, each echoed', async () => {
    const { host, device } = createMemoryTransportPair();
    const link = new Link(host, new StageClock('brom'));
    const done = write16(link, 0xa0030000, 0x2200);
    expect(await device.read(9, 100)).toEqual(hex('D2 A0 03 00 00 00 00 00 01'));
    await device.write(hex('D2 A0 03 00 00 00 00 00 01 00 01'));
    expect(await device.read(2, 100)).toEqual(hex('22 00'));
    await device.write(hex('22 00 00 01'));
    await done;
  });

  it("reset: B9, C9 00, then the watchdog at MediaTek's 64 ticks (≈ 1 s), each answered 5A", async () => {
    const { host, device } = createMemoryTransportPair();
    const done = finishDa(new Link(host, new StageClock('finish')), 'reset');
    expect(await device.read(1, 100)).toEqual(hex('B9'));
    await device.write(hex('5A'));
    expect(await device.read(2, 100)).toEqual(hex('C9 00'));
    await device.write(hex('5A'));
    expect(await device.read(7, 100)).toEqual(hex('DB 00 40 00 00 00 00'));
    await device.write(hex('5A'));
    await done;
  });

  it('WRITE packets are 5A + data + sum16 big-endian, last one short', async () => {
    const { host, device } = createMemoryTransportPair();
    const image = Uint8Array.from({ length: 4096 + 3 }, (_, i) =>
      i === 4096 ? 0xff : i === 4097 ? 0x01 : i === 4098 ? 0x02 : 1,
    );
    const done = writeImages(new Link(host, new StageClock('brom')), [image]);
    expect(await device.read(1, 100)).toEqual(hex('D5'));
    await device.write(hex('5A'));
    expect(await device.read(5, 100)).toEqual(hex('00 00 00 10 00'));
    await device.write(hex('5A 5A'));
    const first = await device.read(1 + 4096 + 2, 100);
    expect(first[0]).toBe(0x5a);
    expect(Array.from(first.subarray(4097))).toEqual([0x10, 0x00]); // 4096 × 1
    await device.write(hex('69'));
    // 0xFF + 0x01 + 0x02 = 0x0102
    expect(await device.read(6, 100)).toEqual(hex('5A FF 01 02 01 02'));
    await device.write(hex('69 5A 5A 5A'));
    await done;
  });
});

describe('flash-table exchange (field-proven count)', () => {
  const record = (tag: number): Uint8Array => new Uint8Array(36).fill(tag);

  it("announces the records plus the terminator, as MediaTek's host counts the table file", async () => {
    const { host, device } = createMemoryTransportPair();
    const done = exchangeFlashTable(new Link(host, new StageClock('brom')), [record(1), record(2)]);
    const burst = await device.read(15, 100);
    expect(Array.from(burst.subarray(11))).toEqual([0, 0, 0, 3]);
    await device.write(hex('5A'));
    expect(await device.read(36, 100)).toEqual(record(1));
    await device.write(hex('69'));
    expect(await device.read(36, 100)).toEqual(record(2));
    await device.write(hex('5A A5 69'));
    expect(await device.read(4, 100)).toEqual(new Uint8Array(4));
    expect(await done).toBe(1);
  });

  it('sends the terminator as the last announced record; its NACK ends with the DA error', async () => {
    const { host, device } = createMemoryTransportPair();
    const done = exchangeFlashTable(new Link(host, new StageClock('brom')), [record(1)]);
    const failed = done.then(
      () => null,
      (e: unknown) => e,
    );
    expect(Array.from((await device.read(15, 100)).subarray(11))).toEqual([0, 0, 0, 2]);
    await device.write(hex('5A'));
    await device.read(36, 100);
    await device.write(hex('69'));
    const terminator = await device.read(36, 100);
    expect(Array.from(terminator.subarray(0, 4))).toEqual([0xff, 0xff, 0, 0]);
    await device.write(hex('A5 00 00 0B C3'));
    expect(await failed).toMatchObject({ code: 'NOR_FLASH_NOT_FOUND' });
    expect(String(await failed)).toMatch(/DA error 3011/);
  });
});

describe('DA report read field by field (da_stage.c order)', () => {
  const offsetOf = (name: string): number => {
    const index = DA_REPORT_FIELDS.findIndex((f) => f.name === name);
    expect(index).toBeGreaterThanOrEqual(0);
    return DA_REPORT_FIELDS.slice(0, index).reduce((sum, f) => sum + f.bytes, 0);
  };

  it('the fields add up to the 198-byte blocks: NOR 54, NAND 35, eMMC 44, RAM 30, e-fuse 24, tail 11', () => {
    expect(DA_REPORT_SIZE).toBe(198);
    expect(offsetOf('NOR dev code 1')).toBe(16);
    expect(offsetOf('NAND status')).toBe(54);
    expect(offsetOf('eMMC status')).toBe(89);
    expect(offsetOf('internal SRAM status')).toBe(133);
    expect(offsetOf('MT6261 e-fuse word 1')).toBe(163);
    expect(offsetOf('all-sent ACK')).toBe(187);
    expect(offsetOf('SOC check result')).toBe(197);
  });

  it('a DA that stops mid-report fails on the field it stopped at, not after a whole-report wait', async () => {
    const { host, device } = createMemoryTransportPair();
    const link = new Link(host, new StageClock('brom'));
    const failed = readDaReport(link).then(
      () => null,
      (e: unknown) => e,
    );
    await device.write(goldenReport().subarray(0, 60)); // NOR block, NAND status, 2 bytes more
    const error = await failed;
    expect(error).toMatchObject({ code: 'DA_NO_RESPONSE' });
    expect(String(error)).toMatch(/DA hardware report: NAND flash id \(byte 59\) within 1\d{3} ms/);
  });
});

describe('DA output split at every byte boundary', () => {
  it('sync + report parse identically however the bytes arrive', async () => {
    const stream = new Uint8Array([0x00, 0xc0, 0x03, 0x02, 0x8e, ...goldenReport()]);
    for (let cut = 1; cut < stream.length; cut++) {
      const { host, device } = createMemoryTransportPair();
      const link = new Link(host, new StageClock('brom'));
      const work = (async () => ({
        sync: await waitDaSync(link, 1000),
        report: await readDaReport(link),
      }))();
      await device.write(stream.subarray(0, cut));
      await new Promise((r) => setImmediate(r));
      await device.write(stream.subarray(cut));
      const { sync, report } = await work;
      expect(sync).toEqual({ major: 3, minor: 2, bbChip: 0x8e });
      expect(report.jedec).toEqual({ manufacturer: 0xc8, memoryType: 0x60, capacity: 0x16 });
      expect(report.flashSize).toBe(0x400000);
    }
  });

  it('report fields and the QFlash flash id', () => {
    const report = parseDaReport(goldenReport());
    expect(report).toMatchObject({
      norStatus: 0,
      nandStatus: 3141,
      emmcStatus: 3141,
      intSramSize: 0x10000,
      extRamSize: 0x400000,
      socOk: true,
    });
    expect(report.efuse[0]).toBe(0xabababab);
    expect(qflashFlashId(report.jedec)).toBe(0x001660c8);
    expect(() => parseDaReport(new Uint8Array(197))).toThrow(/198 bytes/);
  });
});
