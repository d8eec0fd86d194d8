import { hex } from '../bytes/endian';
import type { Link } from '../link';
import { BB_CHIP_MT6261, DA_VERSION, SYNC } from './constants';

export interface DaSyncInfo {
  major: number;
  minor: number;
  bbChip: number;
}

/** After JUMP_DA the DA sends C0 03 02 8E; skip any noise before the C0 (MediaTek waits 10 s). */
export async function waitDaSync(link: Link, timeoutMs = 10_000): Promise<DaSyncInfo> {
  const deadline = Date.now() + timeoutMs;
  link.begin('SYNC');
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0)
      throw link.fail('DA_SYNC_FAIL', `no C0 sync from the DA within ${timeoutMs} ms`);
    const byte = await link.recvByte(remaining, 'DA_SYNC_FAIL', 'DA sync (C0)');
    if (byte === SYNC) break;
  }
  const rest = await link.recv(3, 1000, 'DA_SYNC_FAIL', 'DA version after C0');
  const info: DaSyncInfo = { major: rest[0]!, minor: rest[1]!, bbChip: rest[2]! };
  link.done({ version: `${info.major}.${info.minor}`, bbChip: hex(info.bbChip, 2) });
  if (info.major !== DA_VERSION.major || info.minor !== DA_VERSION.minor) {
    throw link.fail('DA_VERSION_INCORRECT', `DA version ${info.major}.${info.minor}, expected 3.2`);
  }
  if (info.bbChip !== BB_CHIP_MT6261) {
    throw link.fail(
      'UNKNOWN_BBCHIP',
      `DA reported BB chip ${hex(info.bbChip, 2)}, expected 0x8E (MT6261)`,
    );
  }
  return info;
}
