import { describe, expect, it } from 'vitest';
import { be16, be32, ByteHost } from '../../test/byte-host';

/** WRITE32 as firmwareUploader.py sends it: status 0001 after the count and after the value. */
function write32(host: ByteHost, address: number, value: number): void {
  const head = host.exchange([0xd4, ...be32(address), ...be32(1)]);
  expect(Array.from(head.subarray(9))).toEqual([0, 1]);
  expect(Array.from(host.exchange(be32(value)))).toEqual([...be32(value), 0, 1]);
}

function read32(host: ByteHost, address: number): number {
  const reply = host.exchange([0xd1, ...be32(address), ...be32(1)]);
  expect(reply).toHaveLength(9 + 2 + 4 + 2);
  return new DataView(reply.buffer).getUint32(11);
}

/** WRITE16 as pymtkflasher's da_write16 sends it. */
function write16(host: ByteHost, address: number, value: number): void {
  expect(Array.from(host.exchange([0xd2, ...be32(address), ...be32(1)]).subarray(9))).toEqual([
    0, 1,
  ]);
  expect(Array.from(host.exchange(be16(value)))).toEqual([...be16(value), 0, 1]);
}

/** Legacy READ16 (A2), as MediaTek's host polls the RTC. */
function readLegacy16(host: ByteHost, address: number): number {
  const reply = host.exchange([0xa2, ...be32(address), ...be32(1)]);
  return (reply[9]! << 8) | reply[10]!;
}

/** One MBIST run of firmwareUploader.py's PSRAM calibration at an input delay; the status word. */
function mbistAt(host: ByteHost, delay: number): number {
  write32(host, 0xa00500d0, delay);
  write32(host, 0xa0050300, 0);
  write32(host, 0xa0050308, 0x2000003f);
  write32(host, 0xa0050300, 0xa55a0000);
  expect(read32(host, 0xa0050300)).toBe(0xa55a0000);
  write32(host, 0xa0050300, 0xa55a0325);
  return read32(host, 0xa0050318);
}

describe('BROM personality', () => {
  it('answers the handshake with complements and echoes every command byte', () => {
    const host = new ByteHost();
    host.module.powerOn();
    expect(Array.from(host.exchange([0xa0]))).toEqual([0x5f]);
    expect(Array.from(host.exchange([0x0a, 0x50, 0x05]))).toEqual([0xf5, 0xaf, 0xfa]);
    // After the handshake an A0 is just an echoed unknown command (mtk_dump's "already done").
    expect(Array.from(host.exchange([0xa0]))).toEqual([0xa0]);
    expect(host.module.state).toBe('brom');
  });

  it('finishes a handshake whose first byte was answered inside the window, however late the rest', () => {
    const host = new ByteHost({ imei: '861359030299596', revision: 'MC60CAR01A10' });
    host.module.powerOn();
    expect(Array.from(host.exchange([0xa0], 10))).toEqual([0x5f]);
    host.clock.advance(2000); // far past the ~300 ms listening window
    expect(host.module.state).toBe('brom');
    expect(Array.from(host.exchange([0x0a, 0x50, 0x05]))).toEqual([0xf5, 0xaf, 0xfa]);
  });

  it('boots its firmware when nothing answered inside the window', () => {
    const host = new ByteHost({ imei: '861359030299596', revision: 'MC60CAR01A10' });
    host.module.powerOn();
    host.clock.advance(2000);
    expect(host.module.state).toBe('at');
    // The AT firmware echoes what it receives (ATE1); no boot ROM answers 5F any more.
    expect(Array.from(host.exchange([0xa0]))).toEqual([0xa0]);
    expect(host.module.state).toBe('at');
  });

  it('restarts the handshake on a wrong byte', () => {
    const host = new ByteHost();
    host.module.powerOn();
    expect(Array.from(host.exchange([0xa0, 0x0a, 0x33]))).toEqual([0x5f, 0xf5]);
    expect(Array.from(host.exchange([0xa0, 0x0a, 0x50, 0x05]))).toEqual([0x5f, 0xf5, 0xaf, 0xfa]);
  });

  it('reads the chip id registers with legacy READ16 (no status words)', () => {
    const host = new ByteHost();
    host.powerOnAndHandshake();
    const ids = [0x80000000, 0x80000004, 0x80000008, 0x8000000c].map((address) => {
      const reply = host.exchange([0xa2, ...be32(address), ...be32(1)]);
      expect(Array.from(reply.subarray(0, 9))).toEqual([0xa2, ...be32(address), ...be32(1)]);
      return (reply[9]! << 8) | reply[10]!;
    });
    expect(ids).toEqual([0xcb01, 0x0001, 0x6261, 0x8000]);
  });

  it('reads the e-fuse with READ32 and writes registers with status 0x0001', () => {
    const host = new ByteHost();
    host.powerOnAndHandshake();
    const read = host.exchange([0xd1, ...be32(0xa01c0108), ...be32(1)]);
    expect(Array.from(read.subarray(9))).toEqual([0, 0, 0x36, 0x00, 0x00, 0x00, 0, 0]);
    const write = host.exchange([0xd4, ...be32(0xa0510000), ...be32(1)]);
    expect(Array.from(write.subarray(9))).toEqual([0, 1]);
    expect(Array.from(host.exchange(be32(2)))).toEqual([...be32(2), 0, 1]);
    const back = host.exchange([0xd1, ...be32(0xa0510000), ...be32(1)]);
    expect(Array.from(back.subarray(9))).toEqual([0, 0, ...be32(2), 0, 0]);
  });

  it('answers FE with FE and FF with the BROM version 05', () => {
    const host = new ByteHost();
    host.powerOnAndHandshake();
    expect(Array.from(host.exchange([0xfe]))).toEqual([0xfe]);
    expect(Array.from(host.exchange([0xff]))).toEqual([0x05]);
  });

  it('checksums SEND_DA payloads with the XOR of little-endian words', () => {
    const host = new ByteHost();
    host.powerOnAndHandshake();
    const head = host.exchange([0xd7, ...be32(0x70007000), ...be32(5), ...be32(0x100)]);
    expect(Array.from(head.subarray(13))).toEqual([0, 0]);
    // words 0x0201 ^ 0x0403 ^ 0x05 = 0x0607
    expect(Array.from(host.exchange([1, 2, 3, 4, 5]))).toEqual([0x06, 0x07, 0, 0]);
  });

  it('boots into AT when no handshake arrives within the window, and ignores input while off', () => {
    const host = new ByteHost({ imei: '861359030299596', revision: 'MC60CAR01A10' });
    expect(host.exchange([0xa0])).toHaveLength(0);
    host.module.powerOn();
    host.clock.advance(299);
    expect(host.module.state).toBe('brom');
    host.clock.advance(1 + 100);
    expect(host.module.state).toBe('at');
  });

  it('powered too early: an A0 already waiting when power comes on gets no 5F', () => {
    const host = new ByteHost({
      imei: '861359030299596',
      revision: 'MC60CAR01A10',
      faults: { noHandshake: 'powered-too-early' },
    });
    host.module.powerOn();
    // The host has been streaming: its A0s reach the UART before any timer of the module runs.
    expect(host.exchange([0xa0, 0xa0], 0)).toHaveLength(0);
    host.clock.advance(100);
    expect(host.module.state).toBe('at');
    expect(Array.from(host.exchange([0xa0]))).toEqual([0xa0]);
  });

  it('a 0 ms window behaves the same, however the profile sets it', () => {
    const host = new ByteHost({
      imei: '861359030299596',
      revision: 'MC60CAR01A10',
      timing: { bromWindowMs: 0 },
    });
    host.module.powerOn();
    expect(host.exchange([0xa0], 0)).toHaveLength(0);
    host.clock.advance(100);
    expect(host.module.state).toBe('at');
  });

  it('goes dead when the window closes and flash holds no ROM', () => {
    const host = new ByteHost({ imei: '861359030299596', revision: null });
    host.module.powerOn();
    host.clock.advance(400);
    expect(host.module.state).toBe('dead');
    expect(host.exchange([0x41, 0x54, 0x0d], 10)).toHaveLength(0);
  });

  it('takes pymtkflasher’s BROM register set-up: watchdog, PMU charger, RTC, remap', () => {
    const host = new ByteHost();
    host.powerOnAndHandshake();
    write16(host, 0xa0700a28, 0x4010);
    write16(host, 0xa0700a00, 0xf210);
    write16(host, 0xa0030000, 0x2200);
    for (const v of [0x1a57, 0x2b68, 0x042e]) write16(host, 0xa071004c, v);
    write16(host, 0xa0710068, 0x586a);
    write16(host, 0xa0710074, 0x0001);
    write16(host, 0xa0710000, 0x430e);
    write32(host, 0xa0510000, 2);
    expect(readLegacy16(host, 0xa0700a00)).toBe(0xf210);
    expect(readLegacy16(host, 0xa0030000)).toBe(0x2200);
    expect(readLegacy16(host, 0xa071004c)).toBe(0x042e);
    expect(read32(host, 0xa0510000)).toBe(2);
    expect(host.module.state).toBe('brom');
  });

  it('RTC: BBPU never shows CBUSY (bit 6), and the power keys read 0 until latched', () => {
    const host = new ByteHost();
    host.powerOnAndHandshake();
    expect(readLegacy16(host, 0xa0710000) & 0x40).toBe(0);
    write16(host, 0xa0710000, 0x434e);
    expect(readLegacy16(host, 0xa0710000)).toBe(0x430e);
    expect([readLegacy16(host, 0xa0710050), readLegacy16(host, 0xa0710054)]).toEqual([0, 0]);
    write16(host, 0xa0710050, 0xa357);
    write16(host, 0xa0710054, 0x67d2);
    expect([readLegacy16(host, 0xa0710050), readLegacy16(host, 0xa0710054)]).toEqual([
      0xa357, 0x67d2,
    ]);
  });

  it('PSRAM calibration: MBIST finishes at once; it passes only inside the delay window', () => {
    const host = new ByteHost();
    host.powerOnAndHandshake();
    const passing: number[] = [];
    // firmwareUploader.py sweeps the delay from 0x1F1F1F1F down by 0x01010101, 31 times.
    for (let d = 0x1f; d >= 0x01; d--) {
      const status = mbistAt(host, d * 0x01010101);
      expect(status & 0x2).toBe(2); // finished
      if ((status & 0x1) === 0) passing.push(d);
    }
    expect(passing).toEqual([
      0x14, 0x13, 0x12, 0x11, 0x10, 0x0f, 0x0e, 0x0d, 0x0c, 0x0b, 0x0a, 0x09, 0x08,
    ]);
    write32(host, 0xa0050300, 0); // reset the engine: no result any more
    expect(read32(host, 0xa0050318)).toBe(0);
  });

  it('dead PSRAM fails every MBIST run, so the calibration finds no window', () => {
    const host = new ByteHost({ imei: '861359030299596', faults: { deadPsram: true } });
    host.powerOnAndHandshake();
    expect(mbistAt(host, 0x10101010)).toBe(0x3);
  });

  it('an unmapped address reads 0 and keeps what is written (what silicon does there is unknown)', () => {
    const host = new ByteHost();
    host.powerOnAndHandshake();
    expect(read32(host, 0xa0123450)).toBe(0);
    write32(host, 0xa0123450, 0xdeadbeef);
    expect(read32(host, 0xa0123450)).toBe(0xdeadbeef);
  });

  it('WRITE16 of 0x1209 to WDT_SWRST reboots into the boot ROM', () => {
    const host = new ByteHost();
    host.powerOnAndHandshake();
    const resets: string[] = [];
    host.module.on('reset', (reason) => resets.push(reason));
    host.exchange([0xd2, ...be32(0xa003001c), ...be32(1)]);
    expect(Array.from(host.exchange(be16(0x1209), 5))).toEqual([0x12, 0x09, 0, 1]);
    expect(resets).toEqual(['brom-reboot']);
    expect(host.module.state).toBe('brom');
  });
});
