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
       * false: PWRKEY is pressed while the adapter pin is high (an NPN transistor's base on the
       * pin pulls PWRKEY down); true: pressed while the pin is low (straight or open-collector).
       */
      activeLow: boolean;
      /** How long PWRKEY is held pressed (MC60: at least ~1 s to switch on). */
      pulseMs: number;
    }
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

/**
 * Presses PWRKEY for `pulseMs` through the adapter's DTR or RTS pin, then releases it (also when
 * cancelled, so a module is never left with its key held down).
 */
export async function pulsePowerKey(
  port: ModemLines,
  mode: { kind: 'dtr' | 'rts'; activeLow: boolean; pulseMs: number },
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
