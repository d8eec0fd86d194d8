// Download Agent personality (reference §2): sync, configuration, flash-table matching by JEDEC
// id (shared-wire §1), hardware report, then the command loop.
import { DA_BYTE, DA_CMD, DA_STATUS } from '../constants';
import { readU16le, readU32be, u32be } from '../util/bytes';
import type { DeviceContext } from './context';
import { BOOT_CMD, DaBootCommands } from './da-boot';
import { DaSession } from './da-commands';
import { checkEfuseBackup, eraseMauiInfo, INFO_CMD } from './da-fullflow-info';
import { buildDaReport } from './da-report';
import { delay, read, readByte, type Program } from './program';

const CONFIG_LENGTH = 15;
const RECORD_LENGTH = 36;

function isTerminator(record: Uint8Array): boolean {
  return record[0] === 0xff && record[1] === 0xff && record[2] === 0 && record[3] === 0;
}

function recordMatches(record: Uint8Array, ctx: DeviceContext): boolean {
  const [mfr, type, capacity] = ctx.flashId;
  return (
    (readU16le(record, 0x12) & 0xff) === mfr &&
    (readU16le(record, 0x14) & 0xff) === type &&
    (readU16le(record, 0x16) & 0xff) === capacity
  );
}

/**
 * Returns the device enum of the matching record, or null after a NACK (no match). The announced
 * count is an upper bound, terminator included (MediaTek's host sends file length ÷ 36,
 * pymtkflasher a fixed 264): the DA answers each record it reads exactly once, and the NACK is
 * the answer to the terminator or to the last announced record, never a second answer.
 */
function* detectFlash(ctx: DeviceContext, recordCount: number): Program<number | null> {
  for (let i = 0; i < recordCount; i++) {
    const record = yield* read(RECORD_LENGTH);
    if (isTerminator(record)) break;
    if (recordMatches(record, ctx)) {
      ctx.send([DA_BYTE.ack]);
      return readU16le(record, 0);
    }
    if (i === recordCount - 1) break;
    ctx.send([DA_BYTE.cont]);
  }
  ctx.send([DA_BYTE.nack, ...u32be(DA_STATUS.norFlashNotFound)]);
  return null;
}

export function* daProgram(ctx: DeviceContext): Program {
  yield* delay(ctx.timing.daStartMs);
  ctx.send([DA_BYTE.sync, 0x03, 0x02, ctx.chip.bbChip]);
  const config = yield* read(CONFIG_LENGTH);
  ctx.send([DA_BYTE.ack]);
  const deviceEnum = yield* detectFlash(ctx, readU32be(config, 11));
  if (deviceEnum === null) {
    for (;;) yield* readByte(); // no usable flash: the DA stops talking
  }
  ctx.send([DA_BYTE.nack, DA_BYTE.cont]);
  yield* read(4); // BMT pool address / "no NAND"
  ctx.send(buildDaReport(ctx.flashId, deviceEnum, ctx.flash.size));

  const session = new DaSession(ctx);
  const boot = new DaBootCommands(ctx);
  let next: number | null = null;
  for (;;) {
    const cmd = next ?? (yield* readByte());
    next = null;
    switch (cmd) {
      case DA_CMD.speed:
        yield* session.speed();
        break;
      case DA_CMD.mem:
        yield* session.mem();
        break;
      case DA_CMD.write:
        next = yield* session.write();
        break;
      case DA_CMD.read:
        yield* session.readBack();
        break;
      case DA_CMD.formatFat:
        yield* session.formatFat();
        break;
      case BOOT_CMD.formatHb:
        yield* boot.formatHb();
        break;
      case BOOT_CMD.downloadBootLoader:
        yield* boot.downloadBootLoaders();
        break;
      case BOOT_CMD.formatCbr:
        boot.formatCbr();
        break;
      case BOOT_CMD.getCbrSetting:
        boot.getCbrSetting();
        break;
      case BOOT_CMD.createCbr:
        yield* boot.createCbr();
        break;
      case BOOT_CMD.format:
        yield* boot.format();
        break;
      case DA_CMD.finish: {
        yield* read(4); // reset flag: normal or download mode; both restart the boot ROM
        ctx.send([DA_BYTE.ack]);
        ctx.reboot('finish', 10);
        return;
      }
      case DA_CMD.enableWatchdog: {
        const args = yield* read(6);
        ctx.send([DA_BYTE.ack]);
        ctx.reboot('watchdog', ((args[0]! << 8) | args[1]!) * 15.6);
        return;
      }
      case DA_CMD.clearPowerkeyMeta:
        ctx.send([DA_BYTE.ack]);
        break;
      case DA_CMD.clearLongPressPwkey:
        yield* read(1);
        ctx.send([DA_BYTE.ack]);
        break;
      case INFO_CMD.checkEfuseBackup:
        checkEfuseBackup(ctx);
        break;
      case INFO_CMD.eraseMauiInfo:
        eraseMauiInfo(ctx);
        break;
      default:
        ctx.send([DA_BYTE.unknownCmd]);
    }
  }
}
