// How a slot's module is power-cycled, shared by the `flash` CLI and the agent's flash worker.
import { setTimeout as delay } from 'node:timers/promises';
import type { PowerPrompt } from '@station/contracts';
import { connectJigControl } from '@station/emulator';
import type { PowerControl } from '@station/mtk';

export type PowerMode =
  | { kind: 'manual' }
  | {
      kind: 'dtr' | 'rts';
      /**
       * true: PWRKEY is pressed while the line is asserted, i.e. a standard adapter's DTR#/RTS#
       * pin at 0 V (open-drain buffer or diode to PWRKEY); false: while the pin is high (a single
       * NPN transistor on the pin). docs/station.md "Power and wiring".
       */
      activeLow: boolean;
      /** How long PWRKEY is held pressed (MC60: at least ~1 s to switch on). */
      pulseMs: number;
    }
  /**
   * A jig's relay, switched through its control socket: the in-process emulated jig's
   * (EMULATOR=true) or an out-of-process one's (SLOT_POWER=jig + JIG_CONTROL); `slot` is the
   * jig's own slot number.
   */
  | { kind: 'emulator'; controlAddress: string; slot: number };

/** The adapter's modem lines, as serialport's `set()` takes them (true = asserted). */
export interface ModemLines {
  setSignals(signals: { dtr?: boolean; rts?: boolean }): Promise<void>;
}

/**
 * The modem-line value that puts an adapter pin at a level. USB-UART chips drive DTR#/RTS# inverted:
 * an asserted line is the pin at 0 V, a released one is the pin at the I/O voltage.
 */
const lineFor = (pinHigh: boolean): boolean => !pinHigh;

type LineMode = { kind: 'dtr' | 'rts'; activeLow: boolean };

/**
 * Lets go of PWRKEY right after the port opens: the kernel asserts DTR and RTS at open, which
 * presses the key on active-low wiring until the station says otherwise.
 */
export async function releasePowerKey(port: ModemLines, mode: LineMode): Promise<void> {
  await port.setSignals({ [mode.kind]: lineFor(mode.activeLow) });
}

/**
 * Presses PWRKEY for `pulseMs` through the adapter's DTR or RTS pin, then releases it (also when
 * cancelled, so a module is never left with its key held down).
 */
export async function pulsePowerKey(
  port: ModemLines,
  mode: LineMode & { pulseMs: number },
  signal?: AbortSignal,
): Promise<void> {
  const pressed = lineFor(!mode.activeLow);
  const released = lineFor(mode.activeLow);
  await port.setSignals({ [mode.kind]: pressed });
  try {
    await delay(mode.pulseMs, undefined, { signal });
  } finally {
    await port.setSignals({ [mode.kind]: released });
  }
}

/** The power-cycle callback for the orchestrator; it runs while A0 is already streaming. */
export function createPowerControl(
  mode: PowerMode,
  port: ModemLines,
  options: {
    say: (line: string) => void;
    /** Manual power: the operator is asked (the tile shows it, counting down to `until`). */
    prompt?: (prompt: PowerPrompt) => void;
  },
): PowerControl {
  switch (mode.kind) {
    case 'manual':
      return {
        cycle: async (_signal, context) => {
          options.say('power-cycle the module now');
          if (context)
            options.prompt?.({
              kind: 'power-cycle',
              until: context.until.toISOString(),
              round: context.round,
            });
        },
      };
    case 'dtr':
    case 'rts':
      return { cycle: (signal) => pulsePowerKey(port, mode, signal) };
    case 'emulator':
      return {
        // A relay on the supply: the module also restarts this way after its download.
        switchesSupply: true,
        cycle: async () => {
          const client = await connectJigControl(mode.controlAddress);
          try {
            await client.power(mode.slot, 'cycle');
          } finally {
            client.close();
          }
        },
      };
  }
}
