import { access, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SlotStatus } from '@station/contracts';
import {
  createVirtualJig,
  describeTakeover,
  loadScenario,
  ScenarioError,
  type Scenario,
  type VirtualJig,
} from '@station/emulator';
import { StartupError } from '@station/runtime';
import type { SlotBinding } from './slot-binding';

export interface EmulatedJig {
  jig: VirtualJig;
  slots: SlotStatus[];
  /**
   * The slots as the machine shows them now. A pseudo-terminal has no USB identity: while its
   * link is there the slot's adapter is the emulated one named for it; the control channel's
   * `unplug` removes the link (the adapter is gone), `replug` brings it back.
   */
  probe(): Promise<SlotBinding[]>;
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
  /** IMEIs, revisions and faults per slot (EMULATOR_SCENARIO). */
  scenario?: Scenario;
  /** How the slots are announced: switched by the station (emulator) or by the operator (manual). */
  power?: 'emulator' | 'manual';
  onError: (error: Error) => void;
  /** A jig lock left by a dead process was taken over (a crash of the previous run). */
  onLockTakeover: (message: string) => void;
  /** The slots run on the perl relay: the C one could not be built (a slower rig). */
  onPerlRelay: (message: string) => void;
}): Promise<EmulatedJig> {
  const jig = await createVirtualJig({
    slots: options.count,
    dir: resolve(options.dir),
    ...(options.scenario ? { scenario: options.scenario } : {}),
    onError: options.onError,
    onLockTakeover: (takeover) => options.onLockTakeover(describeTakeover(takeover)),
    onPerlRelay: options.onPerlRelay,
  });
  const slots = jig.slots.map((slot): SlotStatus => ({
    slot: slot.slot,
    port: slot.path,
    adapter: `emulator:${options.stationId}/slot-${String(slot.slot).padStart(2, '0')}`,
    power: options.power ?? 'emulator',
  }));
  const probe = () =>
    Promise.all(
      slots.map(async ({ slot, port, adapter }): Promise<SlotBinding> => {
        const online = await access(port).then(
          () => true,
          () => false,
        );
        return { slot, path: port, adapter: online ? adapter : null, online };
      }),
    );
  return { jig, slots, probe };
}

/** Reads EMULATOR_SCENARIO; a missing or invalid file stops the start with one sentence. */
export async function readScenarioFile(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new StartupError(
      `EMULATOR_SCENARIO names ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): check the path.`,
    );
  }
  try {
    return loadScenario(text);
  } catch (error) {
    if (error instanceof ScenarioError)
      throw new StartupError(`EMULATOR_SCENARIO ${path}: ${error.message}`);
    throw error;
  }
}
