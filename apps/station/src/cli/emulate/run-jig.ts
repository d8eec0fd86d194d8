// `flashstation emulate`: start a virtual jig, print one line per slot, run until stopped.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  createVirtualJig,
  describeTakeover,
  loadScenario,
  type Scenario,
  type VirtualJig,
} from '@station/emulator';

export interface RunJigOptions {
  slots: number;
  dir: string;
  scenario?: string;
  json: boolean;
  pacing: boolean;
  usbLatencyMs: number;
  /** `--flash-part`: every module's part (a scenario slot's own flashPart/flashMiB still wins). */
  flashPart?: string;
}

/** The scenario with `--flash-part` as its default part. */
function withFlashPart(scenario: Scenario | undefined, flashPart: string | undefined) {
  if (flashPart === undefined) return scenario;
  const base = scenario ?? { slots: [] };
  const { flashMiB: _size, ...defaults } = base.defaults ?? {};
  return { ...base, defaults: { ...defaults, flashPart } };
}

export async function startJig(options: RunJigOptions): Promise<VirtualJig> {
  const scenario = withFlashPart(
    options.scenario ? loadScenario(await readFile(options.scenario, 'utf8')) : undefined,
    options.flashPart,
  );
  return createVirtualJig({
    slots: options.slots,
    dir: resolve(options.dir),
    pacing: options.pacing,
    usbLatencyMs: options.usbLatencyMs,
    ...(scenario ? { scenario } : {}),
    onError: (error) => console.error(`emulator: ${error.message}`),
    onLockTakeover: (takeover) => console.error(`emulator: ${describeTakeover(takeover)}`),
    onPerlRelay: (message) => console.error(`emulator: ${message}`),
  });
}

/** One line per slot: its tty, the control socket and the label IMEI seated there (or empty). */
export function describeJig(jig: VirtualJig, json: boolean): string[] {
  return jig
    .status()
    .map((s) =>
      json
        ? JSON.stringify({ slot: s.slot, path: s.path, control: jig.controlAddress, imei: s.imei })
        : `slot ${String(s.slot).padStart(2, '0')}  ${s.path}  control=${jig.controlAddress}#${s.slot}  ${s.imei ? `imei=${s.imei}` : 'empty'}`,
    );
}

/**
 * Runs until SIGINT/SIGTERM, then closes every pty, the control socket and the folder's lock.
 * (A jig folder another running jig holds is refused by createVirtualJig: JigBusyError.)
 */
export async function runJigUntilStopped(options: RunJigOptions): Promise<void> {
  const jig = await startJig(options);
  // Listen before printing: a script may signal the moment it reads the slot lines.
  const stopped = new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void jig.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  for (const line of describeJig(jig, options.json)) console.log(line);
  await stopped;
}
