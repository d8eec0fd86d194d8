// Boot ROM personality (reference §1): handshake, echoed commands, registers, SEND_DA, JUMP_DA.
import { BROM } from '../constants';
import { readU16be, readU32be, u16be, u32be, xorChecksum16 } from '../util/bytes';
import { BromRegisters, REG } from './brom-registers';
import type { DeviceContext } from './context';
import { read, readByte, type Program } from './program';

const WATCHDOG_RESET_KEY = 0x1209;
const PSRAM_START = 0x10000000;
const PSRAM_END = 0x20000000;

/** Waits for A0 0A 50 05, answering each byte with its complement. */
function* handshake(ctx: DeviceContext): Program {
  let matched = 0;
  while (matched < BROM.handshake.length) {
    const byte = yield* readByte();
    if (byte === BROM.handshake[matched]) {
      matched++;
    } else if (byte === BROM.handshake[0]) {
      matched = 1;
    } else {
      matched = 0;
      continue;
    }
    if (matched === 1) ctx.handshakeStarted();
    ctx.send([~byte & 0xff]);
  }
}

/** Reads `count` bytes echoing each one as it arrives (hosts may exchange byte by byte). */
function* echoed(ctx: DeviceContext, count: number): Program<Uint8Array> {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = yield* readByte();
    ctx.send([out[i]!]);
  }
  return out;
}

function* echoedU32(ctx: DeviceContext): Program<number> {
  return readU32be(yield* echoed(ctx, 4));
}

export function* bromProgram(ctx: DeviceContext): Program {
  yield* handshake(ctx);
  ctx.handshakeDone();
  const regs = new BromRegisters(ctx);
  const loaded = new Set<number>();
  let psramCorrupt = false;

  for (;;) {
    const cmd = yield* readByte();
    switch (cmd) {
      case BROM.getBlVer:
        ctx.send([0xfe]); // "no boot loader": we are the BROM
        continue;
      case BROM.getVersion:
        ctx.send([0x05]);
        continue;
    }
    ctx.send([cmd]); // every other command byte is echoed, unknown ones included
    switch (cmd) {
      case BROM.legacyRead16: {
        const address = yield* echoedU32(ctx);
        const count = yield* echoedU32(ctx);
        for (let i = 0; i < count; i++) ctx.send(u16be(regs.read16(address + i * 2)));
        break;
      }
      case BROM.legacyWrite16: {
        const address = yield* echoedU32(ctx);
        const count = yield* echoedU32(ctx);
        for (let i = 0; i < count; i++) {
          const word = yield* echoed(ctx, 2);
          regs.write16(address + i * 2, (word[0]! << 8) | word[1]!);
        }
        break;
      }
      case BROM.read16:
      case BROM.read32: {
        const address = yield* echoedU32(ctx);
        const count = yield* echoedU32(ctx);
        ctx.send(u16be(0));
        for (let i = 0; i < count; i++) {
          ctx.send(
            cmd === BROM.read16
              ? u16be(regs.read16(address + i * 2))
              : u32be(regs.read32(address + i * 4)),
          );
        }
        ctx.send(u16be(0));
        break;
      }
      case BROM.write16:
      case BROM.write32: {
        const width = cmd === BROM.write16 ? 2 : 4;
        const address = yield* echoedU32(ctx);
        const count = yield* echoedU32(ctx);
        ctx.send(u16be(1));
        for (let i = 0; i < count; i++) {
          const data = yield* echoed(ctx, width);
          const value = width === 2 ? readU16be(data) : readU32be(data);
          if (width === 2) regs.write16(address + i * 2, value);
          else regs.write32(address + i * 4, value);
          if (address + i * width === REG.wdtSwReset && (value & 0xffff) === WATCHDOG_RESET_KEY) {
            ctx.send(u16be(1));
            ctx.reboot('brom-reboot', 1);
            return;
          }
        }
        ctx.send(u16be(1));
        break;
      }
      case BROM.sendDa: {
        const address = yield* echoedU32(ctx);
        const length = yield* echoedU32(ctx);
        yield* echoedU32(ctx); // signature length: ignored by the non-secure MT6261 BROM
        ctx.send(u16be(0));
        const image = yield* read(length);
        let checksum = xorChecksum16(image);
        if (ctx.faults.deadPsram && address >= PSRAM_START && address < PSRAM_END) {
          checksum ^= 0xa5a5; // read-back from dead PSRAM is garbage
          psramCorrupt = true;
        }
        loaded.add(address >>> 0);
        ctx.send(u16be(checksum));
        ctx.send(u16be(0));
        break;
      }
      case BROM.jumpDa: {
        const address = yield* echoedU32(ctx);
        ctx.send(u16be(0));
        if (!loaded.has(address >>> 0)) {
          ctx.hang(`JUMP_DA to 0x${address.toString(16)} where no DA was loaded`);
        } else if (psramCorrupt) {
          ctx.hang('DA2 in dead PSRAM: the DA never syncs');
        } else {
          ctx.startDa();
        }
        return;
      }
      case BROM.getTargetConfig:
        ctx.send(u32be(0));
        ctx.send(u16be(0));
        break;
      case BROM.getMeId:
        ctx.send(u32be(16));
        ctx.send(new Uint8Array(16).fill(0x61));
        ctx.send(u16be(0));
        break;
      default:
        break; // unknown command: the echo is all the BROM does
    }
  }
}
