import { readFile } from 'node:fs/promises';
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
  /** IMEIs, revisions and faults per slot (EMULATOR_SCENARIO). */
  scenario?: Scenario;
  onError: (error: Error) => void;
  /** A jig lock left by a dead process was taken over (a crash of the previous run). */
  onLockTakeover: (message: string) => void;
}): Promise<EmulatedJig> {
  const jig = await createVirtualJig({
    slots: options.count,
    dir: resolve(options.dir),
    ...(options.scenario ? { scenario: options.scenario } : {}),
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
