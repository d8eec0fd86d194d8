// A virtual jig: N virtual MC60 modules, each on its own pseudo-terminal with a stable path
// (<dir>/slot-01 …), plus a control socket for power (pseudo-terminals carry no DTR/RTS).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { VirtualModule } from '../device/virtual-module';
import type { Scenario, SlotConfig } from '../scenario/scenario';
import { otherImei, syntheticImei } from '../util/imei';
import { startControlServer, type ControlServer } from './control-server';
import { JigError } from './errors';
import { acquireJigLock, type JigLock, type JigLockTakeover } from './jig-lock';
import { JigSlot } from './jig-slot';
import type { PowerAction, SlotStatus } from './types';

export type { PowerAction, SlotStatus } from './types';
export { JigBusyError, JigError, type JigLockHolder } from './errors';
export type { JigLockTakeover } from './jig-lock';

export interface VirtualJigOptions {
  slots: number | SlotConfig[];
  /** Directory for the slot links and the control socket (created if missing). */
  dir: string;
  /** Pace bytes at the line rate (default true). */
  pacing?: boolean;
  /** Pace host → device as well (default true); see PacedLineOptions.rxPacing. */
  rxPacing?: boolean;
  /** FTDI-style latency per turnaround, 1–16 ms (default 0 = none). */
  usbLatencyMs?: number;
  scenario?: Scenario;
  /** Power-off time of a `cycle` (default 100 ms). */
  cycleOffMs?: number;
  socatBinary?: string;
  /** Called for background errors (port errors); default: ignored after close. */
  onError?: (error: Error) => void;
  /**
   * Called when the folder's lock was left by a jig that is gone and this one takes it over;
   * default: a process warning (one line on stderr).
   */
  onLockTakeover?: (takeover: JigLockTakeover) => void;
}

export interface JigSlotInfo {
  slot: number;
  path: string;
  /** IMEI on the module's label (what an operator scans). */
  imei: string;
  module: VirtualModule;
}

export interface VirtualJig {
  slots: JigSlotInfo[];
  controlAddress: string;
  power(slot: number, action: PowerAction): Promise<void>;
  /** Unplugs / re-plugs a slot's adapter (its tty path vanishes / comes back). */
  unplug(slot: number): Promise<void>;
  replug(slot: number): Promise<void>;
  status(): SlotStatus[];
  close(): Promise<void>;
}

/** The log line for a stale lock taken over. */
export function describeTakeover(takeover: JigLockTakeover): string {
  return `took over the jig lock ${takeover.path}: ${takeover.reason}`;
}

function resolveSlots(options: VirtualJigOptions): SlotConfig[] {
  const base =
    typeof options.slots === 'number'
      ? Array.from({ length: options.slots }, (_, i) => ({ slot: i + 1 }))
      : options.slots;
  if (base.length === 0) throw new JigError('a virtual jig needs at least one slot');
  const overrides = new Map((options.scenario?.slots ?? []).map((s) => [s.slot, s]));
  const defaults = options.scenario?.defaults ?? {};
  return base.map((s) => ({ ...defaults, ...s, ...overrides.get(s.slot) }));
}

function buildSlot(
  config: SlotConfig,
  options: VirtualJigOptions,
  onError: (e: Error) => void,
): JigSlot {
  const labelImei = config.imei ?? syntheticImei(100_000 + config.slot);
  const faults = config.faults ?? {};
  const nvramImei =
    typeof faults.imeiMismatch === 'string'
      ? faults.imeiMismatch
      : faults.imeiMismatch
        ? otherImei(labelImei)
        : labelImei;
  const module = new VirtualModule({
    imei: nvramImei,
    revision: config.revision === undefined ? 'MC60CAR01A10' : config.revision,
    faults,
    ...(config.timing ? { timing: config.timing } : {}),
  });
  return new JigSlot({
    slot: config.slot,
    dir: options.dir,
    module,
    labelImei,
    adapterFaults: config.adapterFaults ?? {},
    pacing: options.pacing ?? true,
    rxPacing: options.rxPacing ?? true,
    usbLatencyMs: options.usbLatencyMs ?? 0,
    socatBinary: options.socatBinary ?? 'socat',
    onError,
  });
}

export async function createVirtualJig(options: VirtualJigOptions): Promise<VirtualJig> {
  const configs = resolveSlots(options);
  const latency = options.usbLatencyMs ?? 0;
  if (latency !== 0 && (latency < 1 || latency > 16)) {
    throw new JigError(`usbLatencyMs must be between 1 and 16 (got ${latency})`);
  }
  await mkdir(options.dir, { recursive: true });
  let closed = false;
  const onError = (error: Error) => {
    if (!closed) options.onError?.(error);
  };
  const slots = configs.map((config) => buildSlot(config, options, onError));
  const bySlot = new Map(slots.map((s) => [s.slot, s]));
  if (bySlot.size !== slots.length) throw new JigError('slot numbers must be unique');
  // Before anything in the folder is touched: a running jig there keeps its socket and links.
  const lock: JigLock = await acquireJigLock(
    options.dir,
    options.onLockTakeover ??
      ((t) =>
        process.emitWarning(describeTakeover(t), {
          type: 'JigLockWarning',
          code: 'JIG_LOCK_TAKEOVER',
        })),
  );

  const find = (slot: number): JigSlot => {
    const found = bySlot.get(slot);
    if (!found)
      throw new JigError(`no slot ${slot} (this jig has ${[...bySlot.keys()].join(', ')})`);
    return found;
  };
  const cycleOffMs = options.cycleOffMs ?? 100;
  let control: ControlServer | null = null;

  const jig: VirtualJig = {
    slots: slots.map((s) => ({ slot: s.slot, path: s.path, imei: s.labelImei, module: s.module })),
    controlAddress: join(options.dir, 'control.sock'),
    async power(slot, action) {
      const { module } = find(slot);
      if (action === 'off' || action === 'cycle') module.powerOff();
      if (action === 'cycle') await new Promise((resolve) => setTimeout(resolve, cycleOffMs));
      if (action === 'on' || action === 'cycle') module.powerOn();
    },
    unplug: (slot) => find(slot).unplug(),
    replug: (slot) => find(slot).plug(),
    status: () =>
      slots.map((s) => ({
        slot: s.slot,
        path: s.path,
        imei: s.labelImei,
        state: s.module.state,
        plugged: s.plugged,
        revision: s.module.revision(),
      })),
    async close() {
      closed = true;
      await control?.close();
      for (const s of slots) s.module.powerOff();
      await Promise.all(slots.map((s) => s.unplug()));
      await lock.release();
    },
  };

  try {
    for (const s of slots) await s.plug();
    control = await startControlServer(jig.controlAddress, jig);
  } catch (error) {
    await jig.close();
    throw error;
  }
  for (const [i, s] of slots.entries()) {
    if (configs[i]?.poweredAtStart !== false) s.module.powerOn();
  }
  return jig;
}
