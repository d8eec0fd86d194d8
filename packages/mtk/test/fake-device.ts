// A small scripted MT6261 for driving the host into its ERROR paths in unit tests. It is not
// the emulator (packages/emulator is the real test partner over pseudo-terminals); it only
// knows the happy wire sequence plus the faults below.
import type { MemoryTransport } from '../src/testing/memory-transport';

export interface FakeFaults {
  silent?: boolean;
  badHandshake?: boolean;
  corruptEcho?: boolean;
  hwCode?: number;
  efuseHigh?: number;
  noEfuse?: boolean;
  write16Status?: number;
  /** Echo WRITE16/32 headers but never send their status (module browned out). */
  silentWrites?: boolean;
  sendDaStatus?: number;
  corruptDaChecksum?: boolean;
  jumpStatus?: number;
  noDaSync?: boolean;
  daVersion?: [number, number];
  bbChip?: number;
  noConfigAck?: boolean;
  jedec?: [number, number, number];
  norStatus?: number;
  socByte?: number;
  corruptLoopbackAt?: number;
  memNack?: number;
  preformatByte?: number;
  /** NACK this many write packets with 3064 before accepting them. */
  writeNacks?: number;
  writeBadByte?: number;
  wrongFlashSum?: boolean;
  corruptReadback?: boolean;
  finishNack?: boolean;
  atRevision?: string;
  imei?: string;
  /** AT firmware answers nothing (empty module). */
  noFirmware?: boolean;
}

export interface FakeDevice {
  powerCycle(): Promise<void>;
  flash: Uint8Array;
  retransmits: number;
  stop(): void;
}

const ACK = 0x5a;

export function startFakeDevice(port: MemoryTransport, faults: FakeFaults = {}): FakeDevice {
  let mode: 'at' | 'window' = 'at';
  let stopped = false;
  // A power cycle aborts whatever the device was doing, like the real thing.
  let power = new AbortController();
  const flash = new Uint8Array(4 * 1024 * 1024).fill(0xff);
  const state: FakeDevice = {
    flash,
    retransmits: 0,
    powerCycle: async () => {
      mode = 'window';
      power.abort();
    },
    stop: () => {
      stopped = true;
    },
  };
  const rx = (n: number): Promise<Uint8Array> => port.read(n, 60_000, power.signal);
  const tx = (...bytes: number[]): Promise<void> => port.write(Uint8Array.from(bytes));
  const txb = (bytes: Uint8Array): Promise<void> => port.write(bytes);
  const be32 = (v: number): number[] => [
    (v >>> 24) & 0xff,
    (v >>> 16) & 0xff,
    (v >>> 8) & 0xff,
    v & 0xff,
  ];
  const be16 = (v: number): number[] => [(v >>> 8) & 0xff, v & 0xff];
  const rd32 = (b: Uint8Array, o: number): number =>
    ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  const echo = async (cmd: number, n: number): Promise<Uint8Array> => {
    const args = await rx(n);
    const back = Uint8Array.of(cmd, ...args);
    if (faults.corruptEcho) back[back.length - 1]! ^= 0x01;
    await txb(back);
    return args;
  };

  async function atMode(): Promise<void> {
    let line = '';
    for (;;) {
      const [b] = await rx(1);
      if (faults.noFirmware) continue;
      if (b !== 0x0d) {
        line += String.fromCharCode(b!);
        continue;
      }
      const cmd = line.trim();
      line = '';
      const out = (s: string): Promise<void> => txb(new TextEncoder().encode(s));
      await out(cmd + '\r'); // echo (ATE1)
      if (cmd === 'AT') await out('\r\nOK\r\n');
      else if (cmd === 'ATI')
        await out(
          `\r\nQuectel_Ltd\r\nQuectel_MC60\r\n+CPIN: READY\r\nRevision: ${faults.atRevision ?? 'NONE'}\r\n\r\nOK\r\n`,
        );
      else if (cmd === 'AT+GSN') await out(`\r\n${faults.imei ?? '861359030299596'}\r\n\r\nOK\r\n`);
      else await out('\r\nERROR\r\n');
    }
  }

  async function brom(): Promise<'da' | 'off'> {
    if (faults.silent) return 'off';
    await tx(0x5f);
    for (let i = 0; i < 3; i++) {
      const [b] = await rx(1);
      await tx(faults.badHandshake && i > 0 ? 0x00 : ~b! & 0xff);
    }
    for (;;) {
      const [cmd] = await rx(1);
      if (cmd === 0xa2) {
        const a = await echo(cmd, 8);
        const reg = rd32(a, 0);
        const value =
          {
            0x80000000: 0xcb01,
            0x80000004: 0x0001,
            0x80000008: faults.hwCode ?? 0x6261,
            0x8000000c: 0x8000,
          }[reg] ?? 0;
        await tx(...be16(value));
      } else if (cmd === 0xd1) {
        await echo(cmd, 8);
        if (faults.noEfuse) continue;
        await tx(0, 0, ...be32(((faults.efuseHigh ?? 0x3600) << 16) >>> 0), 0, 0);
      } else if (cmd === 0xd2 || cmd === 0xd4) {
        await echo(cmd, 8);
        if (faults.silentWrites) continue;
        await tx(...be16(faults.write16Status ?? 1));
        await txb(await rx(cmd === 0xd2 ? 2 : 4));
        await tx(0, 1);
      } else if (cmd === 0xd7) {
        const a = await echo(cmd, 12);
        await tx(...be16(faults.sendDaStatus ?? 0));
        if (faults.sendDaStatus) continue;
        const data = await rx(rd32(a, 4));
        let x = 0;
        for (let i = 0; i + 1 < data.length; i += 2) x ^= data[i]! | (data[i + 1]! << 8);
        if (data.length % 2) x ^= data[data.length - 1]!;
        await tx(...be16(faults.corruptDaChecksum ? x ^ 1 : x), 0, 0);
      } else if (cmd === 0xd5) {
        await echo(cmd, 4);
        await tx(...be16(faults.jumpStatus ?? 0));
        return 'da';
      }
    }
  }

  async function da(): Promise<void> {
    if (faults.noDaSync) return;
    const [maj, min] = faults.daVersion ?? [3, 2];
    await tx(0xc0, maj, min, faults.bbChip ?? 0x8e);
    await rx(15); // config burst
    if (faults.noConfigAck) return;
    await tx(ACK);
    const [m, t, c] = faults.jedec ?? [0xc8, 0x60, 0x16];
    for (;;) {
      const r = await rx(36);
      if (r[0] === 0xff && r[1] === 0xff && r[2] === 0 && r[3] === 0)
        return void (await tx(0xa5, ...be32(3011)));
      if (r[0x12] === m && r[0x14] === t && r[0x16] === c) break;
      await tx(0x69);
    }
    await tx(ACK, 0xa5, 0x69);
    await rx(4);
    const report = new Uint8Array(198);
    report.set(be32(faults.norStatus ?? 0), 0);
    report.set([...be32(0x400000)], 8);
    report.set([...be16(m), ...be16(t), ...be16(c)], 16);
    report.set([ACK, ACK], 187);
    report[197] = faults.socByte ?? 0xc1;
    await txb(report);
    const blocks: Array<{ begin: number; length: number }> = [];
    for (;;) {
      const [cmd] = await rx(1);
      if (cmd === 0xd2) {
        await rx(2);
        await tx(ACK);
        await rx(1);
        for (;;) {
          const [b] = await rx(1);
          await tx(b!);
          if (b === ACK) break;
        }
        for (let v = 0; v < 256; v++) {
          const [b] = await rx(1);
          await tx(v === faults.corruptLoopbackAt ? b! ^ 0x10 : b!);
        }
      } else if (cmd === 0xd3) {
        const [, n] = await rx(2);
        for (let i = 0; i < n!; i++) {
          const b = await rx(12);
          if (faults.memNack) return void (await tx(0xa5, ...be32(faults.memNack)));
          blocks.push({ begin: rd32(b, 0), length: rd32(b, 4) - rd32(b, 0) + 1 });
          await tx(ACK);
        }
        await tx(n!, ACK);
        for (let i = 0; i < n!; i++) await tx(...be32(2), ACK, faults.preformatByte ?? ACK);
        await tx(ACK);
      } else if (cmd === 0xd5) {
        await tx(ACK);
        const setup = await rx(5);
        const packet = rd32(setup, 1);
        await tx(ACK, ACK);
        let nacks = faults.writeNacks ?? 0;
        for (const block of blocks) {
          for (let off = 0; off < block.length;) {
            const len = Math.min(packet, block.length - off);
            await rx(1);
            const data = await rx(len);
            await rx(2);
            if (faults.writeBadByte !== undefined) return void (await tx(faults.writeBadByte));
            if (nacks > 0) {
              nacks--;
              state.retransmits++;
              await tx(0xa5, ...be32(3064), 0xe1, 0xe2, ACK);
              await rx(1); // 69
              continue;
            }
            flash.set(data, block.begin + off);
            off += len;
            await tx(0x69);
          }
        }
        await tx(ACK, ACK, ACK);
        for (const block of blocks) {
          const want = (await rx(2)).reduce((h, b) => (h << 8) | b, 0);
          let sum = 0;
          for (const b of flash.subarray(block.begin, block.begin + block.length)) sum += b;
          sum &= 0xffff;
          if (faults.wrongFlashSum) sum ^= 0x100;
          if (sum === want) await tx(ACK);
          else await tx(0xa5, ...be16(sum));
        }
      } else if (cmd === 0xd6) {
        const a = await rx(13);
        const [addr, len, packet] = [rd32(a, 1), rd32(a, 5), rd32(a, 9)];
        await tx(ACK);
        for (let off = 0; off < len;) {
          const data = flash.slice(addr + off, addr + off + Math.min(packet, len - off));
          if (faults.corruptReadback) data[0]! ^= 0xff;
          let sum = 0;
          for (const b of data) sum += b;
          await txb(Uint8Array.of(...data, ...be16(sum & 0xffff)));
          const [reply] = await rx(1);
          if (reply === ACK) off += data.length;
        }
      } else if (cmd === 0xb9) {
        await tx(faults.finishNack ? 0xa5 : ACK);
      } else if (cmd === 0xc9) {
        await rx(1);
        await tx(ACK);
      } else if (cmd === 0xdb) {
        await rx(6);
        await tx(ACK);
        return;
      } else if (cmd === 0xd9) {
        await rx(4);
        await tx(ACK);
        return;
      }
    }
  }

  void (async () => {
    while (!stopped) {
      try {
        if (mode === 'at') await atMode();
        while ((await rx(1))[0] !== 0xa0);
        if ((await brom()) === 'da') await da();
        mode = 'at';
        // Silent modules keep ignoring the line until the next power cycle.
        if (faults.silent)
          await new Promise((_, reject) => power.signal.addEventListener('abort', reject));
      } catch {
        if (port.closed) return;
        power = new AbortController();
      }
    }
  })();
  return state;
}
