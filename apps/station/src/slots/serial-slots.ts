import { access, constants } from 'node:fs/promises';
import type { PowerMode, SlotStatus } from '@station/contracts';
import type { SerialPortEntry } from '../env';
import { adapterIdentity } from './adapter-identity';

export class MissingSerialPortError extends Error {
  constructor(readonly missing: SerialPortEntry[]) {
    const list = missing.map((entry) => `slot ${entry.slot}: ${entry.path}`).join(', ');
    super(
      `SERIAL_PORTS names ${missing.length === 1 ? 'a port that does' : 'ports that do'} not exist (${list}): check the adapter is plugged in and the path under /dev/serial/by-path is right.`,
    );
    this.name = 'MissingSerialPortError';
  }
}

/** Real slots from SERIAL_PORTS; fails naming every configured path that is not there. */
export async function serialSlots(
  entries: SerialPortEntry[],
  power: Exclude<PowerMode, 'emulator'>,
): Promise<SlotStatus[]> {
  const present = await Promise.all(
    entries.map((entry) =>
      access(entry.path, constants.F_OK).then(
        () => true,
        () => false,
      ),
    ),
  );
  const missing = entries.filter((_, index) => !present[index]);
  if (missing.length > 0) throw new MissingSerialPortError(missing);
  return Promise.all(
    entries.map(async (entry) => ({
      slot: entry.slot,
      port: entry.path,
      adapter: await adapterIdentity(entry.path),
      power,
    })),
  );
}
