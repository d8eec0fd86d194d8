import { resolve } from 'node:path';
import type { SlotStatus } from '@station/contracts';
import { createVirtualJig, describeTakeover, type VirtualJig } from '@station/emulator';

export interface EmulatedJig {
  jig: VirtualJig;
  slots: SlotStatus[];
}

/**
 * Starts a virtual jig (one emulated MC60 per pseudo-terminal, links `<dir>/slot-01` …) and
 * describes its slots: powered through the emulator's control channel, each with an adapter
 * identity unique to this station and slot.
 */
export async function startEmulatedJig(options: {
  stationId: string;
  count: number;
  dir: string;
  onError: (error: Error) => void;
  /** A jig lock left by a dead process was taken over (a crash of the previous run). */
  onLockTakeover: (message: string) => void;
}): Promise<EmulatedJig> {
  const jig = await createVirtualJig({
    slots: options.count,
    dir: resolve(options.dir),
    onError: options.onError,
    onLockTakeover: (takeover) => options.onLockTakeover(describeTakeover(takeover)),
  });
  const slots = jig.slots.map((slot): SlotStatus => ({
    slot: slot.slot,
    port: slot.path,
    adapter: `emulator:${options.stationId}/slot-${String(slot.slot).padStart(2, '0')}`,
    power: 'emulator',
  }));
  return { jig, slots };
}
