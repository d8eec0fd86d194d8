// A virtual jig: N slots, each a pseudo-terminal with a stable path (<dir>/slot-01 …) and a power
// relay, holding a virtual MC60 module or nothing; plus a control socket for power (ptys carry no
// DTR/RTS) and for seating, moving and removing modules as an operator does on a real line.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { VirtualModule } from '../device/virtual-module';
import { nativeRelay } from '../pty/native-relay';
import { RelayHub } from '../pty/relay-hub';
import type { Scenario, SlotConfig } from '../scenario/scenario';
import { syntheticImei } from '../util/imei';
import { startControlServer, type ControlServer } from './control-server';
import { JigError } from './errors';
import { acquireJigLock, type JigLock, type JigLockTakeover } from './jig-lock';
import { JigSlot } from './jig-slot';
import { createModule } from './module-factory';
import { checkSeatRequest } from './seat-request';
import type { PowerAction, SeatRequest, SlotStatus } from './types';

export type { PowerAction, SeatRequest, SlotStatus } from './types';
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
  /** Host bytes waiting for the line before the host's write blocks (default 4608). */
  hostWindow?: number;
  /** FTDI-style latency per turnaround, 1–16 ms (default 0 = none). */
  usbLatencyMs?: number;
  scenario?: Scenario;
  /** Power-off time of a `cycle` (default 100 ms). */
  cycleOffMs?: number;
  /** perl for the slots' pty relays (pty/pty-relay.ts); default `perl`. */
  perlBinary?: string;
  /** Called for background errors (port errors); default: ignored after close. */
  onError?: (error: Error) => void;
  /**
   * Called when the folder's lock was left by a jig that is gone and this one takes it over;
   * default: a process warning (one line on stderr).
   */
  onLockTakeover?: (takeover: JigLockTakeover) => void;
  /**
   * Called once, with the whole warning sentence (the reason included), when the C relay cannot
   * be built and the slots use the perl relay (a slower rig: a bench should say which one it ran
   * on); default: a process warning.
   */
  onPerlRelay?: (message: string) => void;
}

export interface JigSlotInfo {
  slot: number;
  path: string;
  /** Label IMEI of the module seated now (what an operator scans); throws if the slot is empty. */
  readonly imei: string;
  /** The module seated now; throws a JigError if the slot is empty. */
  readonly module: VirtualModule;
}

export interface VirtualJig {
  /** Live views of the slots: `imei` and `module` follow seat, move and remove. */
  slots: JigSlotInfo[];
  controlAddress: string;
  power(slot: number, action: PowerAction): Promise<void>;
  /** Unplugs / re-plugs a slot's adapter (its tty path vanishes / comes back). */
  unplug(slot: number): Promise<void>;
  replug(slot: number): Promise<void>;
  /** Seats a new module (its IMEI, revision and own faults) in an empty slot. */
  seat(request: SeatRequest): VirtualModule;
  /** Moves the module in `from` (flash and faults included) into the empty slot `to`. */
  move(from: number, to: number): VirtualModule;
  /** Takes the module out of a slot; the slot is empty afterwards. */
  remove(slot: number): VirtualModule;
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
  return base.map((s) => {
    const own = { ...s, ...overrides.get(s.slot) };
    // A slot's own flash (size or part) replaces the default's, whichever way either is given.
    const ownFlash = own.flashMiB !== undefined || own.flashPart !== undefined;
    const { flashMiB, flashPart, ...rest } = defaults;
    return { ...(ownFlash ? rest : { ...rest, flashMiB, flashPart }), ...own };
  });
}

function buildSlot(
  config: SlotConfig,
  options: VirtualJigOptions,
  hub: RelayHub | undefined,
  onError: (e: Error) => void,
): JigSlot {
  const slot = new JigSlot({
    slot: config.slot,
    dir: options.dir,
    adapterFaults: config.adapterFaults ?? {},
    powered: false,
    pacing: options.pacing ?? true,
    rxPacing: options.rxPacing ?? true,
    ...(options.hostWindow !== undefined ? { hostWindow: options.hostWindow } : {}),
    usbLatencyMs: options.usbLatencyMs ?? 0,
    ...(options.perlBinary !== undefined ? { perlBinary: options.perlBinary } : {}),
    ...(hub ? { hub } : {}),
    onError,
  });
  if (!config.empty) {
    slot.seat(
      createModule({
        imei: config.imei ?? syntheticImei(100_000 + config.slot),
        faults: config.faults ?? {},
        ...(config.revision !== undefined ? { revision: config.revision } : {}),
        ...(config.timing ? { timing: config.timing } : {}),
        ...(config.flashMiB ? { flashMiB: config.flashMiB } : {}),
        ...(config.flashPart !== undefined ? { flashPart: config.flashPart } : {}),
      }),
    );
  }
  return slot;
}

function describeSlot(s: JigSlot): SlotStatus {
  const module = s.module;
  return {
    slot: s.slot,
    path: s.path,
    imei: module?.labelImei ?? null,
    state: module?.state ?? 'empty',
    plugged: s.plugged,
    powered: s.powered,
    revision: module?.revision() ?? null,
    faults: module ? { ...module.faults } : null,
    adapterFaults: s.adapterFaults,
  };
}

/** A live view of one slot for code that holds `jig.slots`. */
function slotInfo(s: JigSlot): JigSlotInfo {
  return {
    slot: s.slot,
    path: s.path,
    get imei() {
      return s.occupant().labelImei;
    },
    get module() {
      return s.occupant();
    },
  };
}

/** One C relay hub for all the jig's slots, or none (and a warning) where it cannot be built. */
async function startRelayHub(options: VirtualJigOptions): Promise<RelayHub | undefined> {
  const relay = await nativeRelay();
  if (relay.binary !== null) return RelayHub.start(relay.binary, { label: options.dir });
  const message = `the C pty relay is not available (${relay.reason}); the slots use the perl relay`;
  if (options.onPerlRelay) options.onPerlRelay(message);
  else process.emitWarning(message, { type: 'JigRelayWarning', code: 'JIG_PERL_RELAY' });
  return undefined;
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
  if (new Set(configs.map((c) => c.slot)).size !== configs.length) {
    throw new JigError('slot numbers must be unique');
  }
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

  let hub: RelayHub | undefined;
  try {
    hub = options.perlBinary === undefined ? await startRelayHub(options) : undefined;
  } catch (error) {
    await lock.release();
    throw error;
  }
  const slots = configs.map((config) => buildSlot(config, options, hub, onError));
  const bySlot = new Map(slots.map((s) => [s.slot, s]));

  const find = (slot: number): JigSlot => {
    const found = bySlot.get(slot);
    if (!found)
      throw new JigError(`no slot ${slot} (this jig has ${[...bySlot.keys()].join(', ')})`);
    return found;
  };
  const cycleOffMs = options.cycleOffMs ?? 100;
  // Modules seated later share the scenario's default timing (a demo line's pace) and flash size.
  const timing = options.scenario?.defaults?.timing;
  const flashMiB = options.scenario?.defaults?.flashMiB;
  const flashPart = options.scenario?.defaults?.flashPart;
  let control: ControlServer | null = null;

  /** A module is one physical thing: its label IMEI is in at most one slot. */
  const whereIs = (imei: string): JigSlot | undefined =>
    slots.find((s) => s.module?.labelImei === imei);

  const jig: VirtualJig = {
    slots: slots.map(slotInfo),
    controlAddress: join(options.dir, 'control.sock'),
    async power(slot, action) {
      const target = find(slot);
      if (action === 'off' || action === 'cycle') target.powerOff();
      if (action === 'cycle') await new Promise((resolve) => setTimeout(resolve, cycleOffMs));
      if (action === 'on' || action === 'cycle') target.powerOn();
    },
    unplug: (slot) => find(slot).unplug(),
    replug: (slot) => find(slot).plug(),
    seat(request) {
      const target = find(request.slot);
      const spec = checkSeatRequest(request);
      const elsewhere = whereIs(spec.imei);
      if (elsewhere) {
        throw new JigError(
          `module ${spec.imei} is already in slot ${elsewhere.slot}: move it instead of seating it again`,
        );
      }
      target.assertEmpty();
      const module = createModule({
        ...spec,
        ...(timing ? { timing } : {}),
        ...(flashMiB ? { flashMiB } : {}),
        ...(flashPart !== undefined ? { flashPart } : {}),
      });
      target.seat(module);
      return module;
    },
    move(from, to) {
      const source = find(from);
      const target = find(to);
      if (from === to) throw new JigError(`slot ${from} is both source and target of the move`);
      source.occupant(); // a JigError when the source slot is empty
      target.assertEmpty();
      const module = source.unseat();
      target.seat(module);
      return module;
    },
    remove: (slot) => find(slot).unseat(),
    status: () => slots.map(describeSlot),
    async close() {
      closed = true;
      await control?.close();
      for (const s of slots) s.powerOff();
      await Promise.all(slots.map((s) => s.unplug()));
      await hub?.close();
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
    if (configs[i]?.poweredAtStart !== false) s.powerOn();
  }
  return jig;
}
