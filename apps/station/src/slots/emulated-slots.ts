import { resolve } from 'node:path';
import type { SlotStatus } from '@station/contracts';

/** Name of slot n's link inside the jig directory, as the emulated jig creates it. */
export const jigSlotName = (slot: number): string => `slot-${String(slot).padStart(2, '0')}`;

/** The slots of an emulated jig: pty links under `dir`, powered through the emulator channel. */
export function emulatedSlots(options: {
  stationId: string;
  count: number;
  dir: string;
}): SlotStatus[] {
  const dir = resolve(options.dir);
  return Array.from({ length: options.count }, (_, index) => {
    const name = jigSlotName(index + 1);
    return {
      slot: index + 1,
      port: resolve(dir, name),
      adapter: `emulator:${options.stationId}/${name}`,
      power: 'emulator',
    };
  });
}
