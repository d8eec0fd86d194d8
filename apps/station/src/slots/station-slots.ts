// The station's slots as it starts: real adapters from SERIAL_PORTS or an emulated jig, each
// with how it is powered and a probe the port watch calls to see them again.
import type { SlotStatus } from '@station/contracts';
import type { Logger } from '@station/logger';
import { jigControlFor, type StationEnv } from '../env';
import type { FlashSlot } from '../jobs/flash-run.processor';
import type { PowerMode } from '../ports/power-control';
import { readScenarioFile, startEmulatedJig } from './emulated-slots';
import { checkLatencyTimers } from './latency-timer-sysfs';
import { serialSlotProbe } from './serial-slots';
import type { SlotBinding } from './slot-binding';

export interface ResolvedSlots {
  /** Each slot as first seen: its adapter, or offline when the adapter is missing. */
  bindings: SlotBinding[];
  power: SlotStatus['power'];
  /** The same slots as the flash worker drives them: port path and power control. */
  flashSlots: FlashSlot[];
  /** Looks at every slot's adapter again (the port watch calls it). */
  probe: () => Promise<SlotBinding[]>;
  /** Real slots' FTDI latency timers in ms as found (or set) at start; empty when emulated. */
  latencyTimersMs: ReadonlyMap<number, number>;
  /** Releases what resolving the slots started (the emulated jig); a no-op for real ports. */
  close: () => Promise<void>;
}

export async function resolveSlots(env: StationEnv, logger: Logger): Promise<ResolvedSlots> {
  if (!env.EMULATOR) {
    let listFailureLogged = false;
    const { probe } = serialSlotProbe(env.SERIAL_PORTS ?? [], (err) => {
      if (listFailureLogged) return;
      listFailureLogged = true;
      logger.warn(
        { err },
        "serialport's port list cannot be read (udevadm missing?): usb-serial slots stay offline, by-path slots are still found",
      );
    });
    const bindings = await probe();
    const latencyTimersMs = await reportLatencyTimers(bindings, env, logger);
    return {
      bindings,
      // A jig's relays are switched by the station through a control channel, as the emulated
      // jig's are: the contracts' (and the database's) `emulator` power, not a new kind.
      power: env.SLOT_POWER === 'jig' ? 'emulator' : env.SLOT_POWER,
      flashSlots: bindings.map((s) => ({
        slot: s.slot,
        path: s.path,
        power: slotPower(env, s.slot),
      })),
      probe,
      latencyTimersMs,
      close: async () => {},
    };
  }
  const scenario = env.EMULATOR_SCENARIO
    ? await readScenarioFile(env.EMULATOR_SCENARIO)
    : undefined;
  const { jig, slots, probe } = await startEmulatedJig({
    stationId: env.STATION_ID,
    count: env.EMULATOR_SLOTS,
    dir: env.JIG_DIR,
    ...(scenario ? { scenario } : {}),
    power: env.EMULATOR_POWER,
    onError: (err) => logger.warn({ err }, 'emulated jig error'),
    onLockTakeover: (message) => logger.warn({ dir: env.JIG_DIR }, message),
    onPerlRelay: (message) => logger.warn({ dir: env.JIG_DIR }, message),
  });
  // The label IMEIs are what an operator scans at each emulated slot (null: no module seated);
  // the control socket is where `flashstation emulate seat|move|remove` reaches this jig.
  const labels = Object.fromEntries(jig.status().map((s) => [`slot-${s.slot}`, s.imei]));
  logger.info(
    {
      dir: env.JIG_DIR,
      control: jig.controlAddress,
      slots: slots.length,
      labels,
      power: env.EMULATOR_POWER,
    },
    'emulated jig started',
  );
  const flashSlots = slots.map((s): FlashSlot => ({
    slot: s.slot,
    path: s.port,
    power:
      env.EMULATOR_POWER === 'manual'
        ? { kind: 'manual' }
        : { kind: 'emulator', controlAddress: jig.controlAddress, slot: s.slot },
  }));
  return {
    bindings: await probe(),
    power: env.EMULATOR_POWER,
    flashSlots,
    probe,
    latencyTimersMs: new Map(),
    close: () => jig.close(),
  };
}

/**
 * A real slot's power: the operator, a PWRKEY pulse on DTR/RTS with the wiring's polarity, or the
 * relay of the jig slot JIG_CONTROL maps it to (env validation makes sure there is one).
 */
export function slotPower(env: StationEnv, slot: number): PowerMode {
  if (env.SLOT_POWER === 'manual') return { kind: 'manual' };
  if (env.SLOT_POWER === 'jig') {
    const jig = jigControlFor(env.JIG_CONTROL ?? [], slot);
    if (!jig) throw new Error(`slot ${slot}: JIG_CONTROL names no control socket for it`);
    return { kind: 'emulator', controlAddress: jig.address, slot: jig.slot };
  }
  return {
    kind: env.SLOT_POWER,
    activeLow: env.SLOT_POWER_ACTIVE_LOW,
    pulseMs: env.SLOT_POWER_PULSE_MS,
  };
}

/** A slot as the registration announces it (`online` is only said when false, as before #9). */
export const slotStatus = (binding: SlotBinding, power: SlotStatus['power']): SlotStatus => ({
  slot: binding.slot,
  port: binding.path,
  adapter: binding.adapter,
  power,
  ...(binding.online ? {} : { online: false }),
});

/**
 * One line per real slot whose adapter's FTDI latency timer is slow (or was set to 1 ms); returns
 * each FTDI slot's timer for the station's metrics.
 */
async function reportLatencyTimers(
  bindings: readonly SlotBinding[],
  env: StationEnv,
  logger: Logger,
): Promise<Map<number, number>> {
  const timers = new Map<number, number>();
  for (const outcome of await checkLatencyTimers(bindings, { fix: env.SERIAL_LATENCY_TIMER_FIX })) {
    const fields = { slot: outcome.slot, tty: outcome.tty, latencyTimerMs: outcome.ms };
    if (outcome.ms !== undefined) timers.set(outcome.slot, outcome.ms);
    if (outcome.status === 'warn') {
      logger.warn(fields, `slot ${outcome.slot} adapter ${outcome.tty}: ${outcome.problem}`);
    } else if (outcome.status === 'set') {
      logger.info(
        fields,
        `slot ${outcome.slot} adapter ${outcome.tty}: latency timer set from ${outcome.fromMs} ms to ${outcome.ms} ms`,
      );
    } else {
      logger.debug(
        fields,
        `slot ${outcome.slot} adapter ${outcome.tty}: latency timer ${outcome.status}`,
      );
    }
  }
  return timers;
}
