import { describe, expect, it } from 'vitest';
import { be16, be32, ByteHost, norRecord, sum16, TERMINATOR } from '../../test/byte-host';
import { connectDa, DA_CONFIG, jumpToDa, sendDa } from '../../test/da-host';
import { buildSyntheticRom } from '../flash/synthetic-rom';

const IMEI = '861359030299596';

function memAndWrite(host: ByteHost, image: Uint8Array, begin = 0x20000): void {
  host.exchange(
    [0xd3, 0xa5, 1, ...be32(begin), ...be32(begin + image.length - 1), ...be32(0x100)],
    200,
  );
  expect(Array.from(host.exchange([0xd5]))).toEqual([0x5a]);
  expect(Array.from(host.exchange([0x00, ...be32(4096)]))).toEqual([0x5a, 0x5a]);
}

describe('DA personality', () => {
  it('syncs with C0 03 02 8E after JUMP_DA', () => {
    const host = new ByteHost();
    host.powerOnAndHandshake();
    expect(Array.from(jumpToDa(host)).slice(-4)).toEqual([0xc0, 0x03, 0x02, 0x8e]);
    expect(host.module.state).toBe('da');
  });

  it('answers CONT to other flash records, ACK + A5 69 to its own, then a 198-byte report', () => {
    const host = new ByteHost();
    host.powerOnAndHandshake();
    jumpToDa(host);
    expect(Array.from(host.exchange([...DA_CONFIG, ...be32(264)]))).toEqual([0x5a]);
    expect(Array.from(host.exchange(norRecord(0x10, [0xef, 0x40, 0x16])))).toEqual([0x69]);
    expect(Array.from(host.exchange(norRecord(0x42, [0xc8, 0x60, 0x16])))).toEqual([
      0x5a, 0xa5, 0x69,
    ]);
    const report = host.exchange([0, 0, 0, 0]);
    expect(report).toHaveLength(198);
    expect(Array.from(report.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(report.subarray(6, 8))).toEqual([0x00, 0x42]); // device enum of the match
    expect(Array.from(report.subarray(8, 12))).toEqual(be32(0x400000));
    expect(Array.from(report.subarray(16, 24))).toEqual([0, 0xc8, 0, 0x60, 0, 0x16, 0, 0]);
    expect(Array.from(report.subarray(54, 58))).toEqual(be32(3141));
    expect(Array.from(report.subarray(-11))).toEqual([0x5a, 0x5a, 0, 0, 0, 0, 0, 0, 0, 0, 0xc1]);
  });

  it('a 16 MiB module reports its size and the GD25LQ128 id, and formats its own last 384 KiB', () => {
    const host = new ByteHost({ imei: IMEI, flashMiB: 16 });
    host.powerOnAndHandshake();
    jumpToDa(host);
    host.exchange([...DA_CONFIG, ...be32(2)]);
    // The 4 MiB part's record no longer matches: the DA table must list the 16 MiB one.
    expect(Array.from(host.exchange(norRecord(0x42, [0xc8, 0x60, 0x16])))).toEqual([0x69]);
    expect(Array.from(host.exchange(norRecord(0x43, [0xc8, 0x60, 0x18])))).toEqual([
      0x5a, 0xa5, 0x69,
    ]);
    const report = host.exchange([0, 0, 0, 0]);
    expect(Array.from(report.subarray(6, 8))).toEqual([0x00, 0x43]);
    expect(Array.from(report.subarray(8, 16))).toEqual([...be32(0x1000000), ...be32(0x1000000)]);
    expect(Array.from(report.subarray(16, 22))).toEqual([0, 0xc8, 0, 0x60, 0, 0x18]);
    const fat = host.exchange([0xb8, 0x00, 0x01], 50);
    expect(Array.from(fat.subarray(4, 12))).toEqual([...be32(0xfa0000), ...be32(0x60000)]);
  });

  it('NACKs with 3011 when the table ends without a match (unknown flash fault)', () => {
    const host = new ByteHost({ imei: IMEI, faults: { unknownFlashId: true } });
    host.powerOnAndHandshake();
    jumpToDa(host);
    host.exchange([...DA_CONFIG, ...be32(2)]);
    expect(Array.from(host.exchange(norRecord(0x42, [0xc8, 0x60, 0x16])))).toEqual([0x69]);
    expect(Array.from(host.exchange(TERMINATOR))).toEqual([0xa5, ...be32(3011)]);
  });

  it('answers each record once: with the count spent and no match, the last record gets the NACK', () => {
    const host = new ByteHost({ imei: IMEI, faults: { unknownFlashId: true } });
    host.powerOnAndHandshake();
    jumpToDa(host);
    // Two records announced without the terminator (a count MediaTek's host never sends).
    host.exchange([...DA_CONFIG, ...be32(2)]);
    expect(Array.from(host.exchange(norRecord(0x10, [0xef, 0x40, 0x16])))).toEqual([0x69]);
    expect(Array.from(host.exchange(norRecord(0x42, [0xc8, 0x60, 0x16])))).toEqual([
      0xa5,
      ...be32(3011),
    ]);
    // The DA has stopped talking: a terminator sent after the count is spent gets no answer.
    expect(Array.from(host.exchange(TERMINATOR))).toEqual([]);
  });

  it('with the field-proven count (records + terminator) a match on the last record is still ACKed', () => {
    const host = new ByteHost();
    host.powerOnAndHandshake();
    jumpToDa(host);
    host.exchange([...DA_CONFIG, ...be32(3)]);
    expect(Array.from(host.exchange(norRecord(0x10, [0xef, 0x40, 0x16])))).toEqual([0x69]);
    expect(Array.from(host.exchange(norRecord(0x42, [0xc8, 0x60, 0x16])))).toEqual([
      0x5a, 0xa5, 0x69,
    ]);
  });

  it('formats the FAT region in whole sectors with percent progress, then ACKs', () => {
    const host = new ByteHost();
    connectDa(host);
    const head = host.exchange([0xb8, 0x00, 0x01], 50);
    expect(Array.from(head.subarray(0, 12))).toEqual([
      ...be32(0),
      ...be32(0x3a0000),
      ...be32(0x60000),
    ]);
    expect(Array.from(head.subarray(12, 28))).toEqual(new Array(16).fill(0));
    expect(Array.from(head.subarray(28, 30))).toEqual([0x5a, 0x5a]);
    const percents: number[] = [];
    let step = head.subarray(30);
    for (let i = 0; i < 10; i++) {
      expect(step).toHaveLength(5);
      percents.push(step[4]!);
      expect(Array.from(step.subarray(0, 4))).toEqual(be32(step[4] === 100 ? 0 : 3021));
      step = host.exchange([0x5a], 50);
    }
    expect(percents).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(Array.from(step)).toEqual([0x5a]);
    expect(host.module.state).toBe('da');
  });

  it('switches baud with C0/5A sync and a 256-byte loopback', () => {
    const host = new ByteHost();
    connectDa(host);
    expect(Array.from(host.exchange([0xd2, 0x01, 0x01]))).toEqual([0x5a]);
    host.exchange([0x5a]);
    expect(host.baud).toBe(921600);
    expect(Array.from(host.exchange([0xc0, 0xc0]))).toEqual([0xc0, 0xc0]);
    expect(Array.from(host.exchange([0x5a]))).toEqual([0x5a]);
    const loop = Array.from({ length: 256 }, (_, i) => i);
    expect(Array.from(host.exchange(loop))).toEqual(loop);
  });

  it('pre-formats in MEM, writes packets, verifies, reads back and boots the new revision', () => {
    const host = new ByteHost({ imei: IMEI, revision: 'MC60CAR01A03' });
    connectDa(host);
    const rom = buildSyntheticRom({ revision: 'MC60CAR01A13', size: 10_000 });
    const mem = host.exchange(
      [0xd3, 0xa5, 1, ...be32(0x20000), ...be32(0x20000 + rom.length - 1), ...be32(0x100)],
      200,
    );
    expect(Array.from(mem)).toEqual([0x5a, 1, 0x5a, ...be32(1), 0x5a, 0x5a]);
    expect(host.module.readFlash(0x20000, 4)).toEqual(new Uint8Array([0xff, 0xff, 0xff, 0xff]));
    expect(Array.from(host.exchange([0xd5]))).toEqual([0x5a]);
    expect(Array.from(host.exchange([0x00, ...be32(4096)]))).toEqual([0x5a, 0x5a]);
    const acks: number[] = [];
    for (let at = 0; at < rom.length; at += 4096) {
      const frame = rom.subarray(at, at + 4096);
      acks.push(...host.exchange([0x5a, ...frame, ...be16(sum16(frame))], 5));
    }
    expect(acks).toEqual([0x69, 0x69, 0x69, 0x5a, 0x5a, 0x5a]);
    expect(Array.from(host.exchange(be16(sum16(rom))))).toEqual([0x5a]);
    expect(host.module.readFlash(0x20000, rom.length)).toEqual(rom);

    const read = host.exchange([0xd6, 0x00, ...be32(0x20000), ...be32(100), ...be32(64)]);
    expect(read[0]).toBe(0x5a);
    expect(Array.from(read.subarray(1, 65))).toEqual(Array.from(rom.subarray(0, 64)));
    expect(Array.from(read.subarray(65, 67))).toEqual(be16(sum16(rom.subarray(0, 64))));
    const rest = host.exchange([0x5a]);
    expect(Array.from(rest.subarray(0, 36))).toEqual(Array.from(rom.subarray(64, 100)));
    host.exchange([0x5a]);

    expect(Array.from(host.exchange([0xd9, ...be32(0)]))).toEqual([0x5a]);
    host.clock.advance(1000);
    expect(host.module.state).toBe('at');
    expect(host.module.revision()).toBe('MC60CAR01A13');
  });

  it('NACKs a packet with a bad checksum (3064), then accepts the resend after CONT', () => {
    const host = new ByteHost();
    connectDa(host);
    const data = new Uint8Array(100).fill(7);
    memAndWrite(host, data);
    const nack = host.exchange([0x5a, ...data, ...be16(sum16(data) + 1)]);
    expect(Array.from(nack)).toEqual([0xa5, ...be32(3064), 0x5a]);
    host.exchange([0x69]);
    expect(Array.from(host.exchange([0x5a, ...data, ...be16(sum16(data))], 5))).toEqual([
      0x69, 0x5a, 0x5a, 0x5a,
    ]);
  });

  it('keeps NACKing packets into a bad sector (3014) on every resend', () => {
    const host = new ByteHost({ imei: IMEI, faults: { badSector: 0x20010 } });
    connectDa(host);
    const data = new Uint8Array(64).fill(1);
    memAndWrite(host, data);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(Array.from(host.exchange([0x5a, ...data, ...be16(sum16(data))]))).toEqual([
        0xa5,
        ...be32(3014),
        0x5a,
      ]);
      host.exchange([0x69]);
    }
  });

  it('dead PSRAM: the DA2 checksum is wrong and the DA never syncs', () => {
    const host = new ByteHost({ imei: IMEI, faults: { deadPsram: true } });
    host.powerOnAndHandshake();
    const da1 = sendDa(host, 0x70007000, Uint8Array.of(1, 2, 3, 4, 5));
    expect(Array.from(da1)).toEqual([0x06, 0x07, 0, 0]);
    const da2 = sendDa(host, 0x10020000, Uint8Array.of(1, 2, 3, 4, 5));
    expect(Array.from(da2)).not.toEqual([0x06, 0x07, 0, 0]);
    host.exchange([0xd5, ...be32(0x70007000)]);
    host.clock.advance(100);
    expect(host.take()).toHaveLength(0);
    expect(host.module.state).toBe('dead');
  });

  it('wrong chip: reports hw code 0x6260', () => {
    const host = new ByteHost({ imei: IMEI, faults: { wrongChip: true } });
    host.powerOnAndHandshake();
    const reply = host.exchange([0xa2, ...be32(0x80000008), ...be32(1)]);
    expect(Array.from(reply.subarray(9))).toEqual([0x62, 0x60]);
  });

  it('brown-out mid-write resets the module; the half-written ROM then boots into nothing', () => {
    const host = new ByteHost({
      imei: IMEI,
      revision: 'MC60CAR01A03',
      faults: { brownOutAfterBytes: 8192 },
    });
    const resets: string[] = [];
    host.module.on('reset', (reason) => resets.push(reason));
    connectDa(host);
    const rom = buildSyntheticRom({ revision: 'MC60CAR01A13', size: 20_000 });
    memAndWrite(host, rom);
    for (let at = 0; at < 3 * 4096; at += 4096) {
      const frame = rom.subarray(at, at + 4096);
      host.exchange([0x5a, ...frame, ...be16(sum16(frame))], 5);
    }
    expect(resets).toEqual(['brown-out']);
    host.clock.advance(1000);
    expect(host.module.state).toBe('dead');
    expect(host.module.revision()).toBe('MC60CAR01A13'); // the header made it, the body did not
    host.module.powerOff();
    host.powerOnAndHandshake(); // the boot ROM still answers after a power cycle
  });
});
