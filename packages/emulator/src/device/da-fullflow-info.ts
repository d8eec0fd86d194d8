// Two DA commands of MediaTek's full flow that the #11 §3 set leaves out and that FlashTool (and
// firmwareUploader.py, which replays it) sends between the boot loaders and the images: the
// e-fuse backup check and ERASE_MAUI_INFO. Sources: the RePhone FlashTool log
// (loboris/RePhone_on_Linux FirmwareUpdate/20160407.log lines 1615, 1705-1710) and
// firmwareUploader.py (DA_CheckEFuse, DA_ERASE_MAUI_INFO); docs/emulator.md, "Second
// independent host".
import { ROM_FLASH_OFFSET } from '../constants';
import { u32be } from '../util/bytes';
import type { DeviceContext } from './context';

export const INFO_CMD = {
  checkEfuseBackup: 0x75,
  eraseMauiInfo: 0x5b,
} as const;

/** What the log's MT2502 sent: maker 0xabababab, backup data 1 0x00011c7a, 2 0x0001d794. */
const EFUSE_BACKUP = [0xabababab, 0x00011c7a, 0x0001d794] as const;

/**
 * 75 → maker, backup word 1, backup word 2 (u32 each). What the words mean is not public (the
 * script's comment shows another chip's pair, so they differ per chip); hosts only log them, so
 * every virtual module sends the pair of the logged chip.
 */
export function checkEfuseBackup(ctx: DeviceContext): void {
  ctx.send(EFUSE_BACKUP.flatMap((word) => [...u32be(word)]));
}

/**
 * 5B → MAUI-info address, ROM address, block address (u32 each). This flash never holds a MAUI
 * info block, so the answer is the log's "none": 0, 0 and the ROM's block (0x20000); with a zero
 * ROM address the host erases nothing and expects nothing more ("Target address is zero").
 */
export function eraseMauiInfo(ctx: DeviceContext): void {
  ctx.send([...u32be(0), ...u32be(0), ...u32be(ROM_FLASH_OFFSET)]);
}
