// How a slot's module is power-cycled, shared by the `flash` CLI and the agent's flash worker.
import { setTimeout as delay } from 'node:timers/promises';
import { connectJigControl } from '@station/emulator';
import type { PowerControl } from '@station/mtk';
import type { SerialTransport } from './serial-transport';

/** How long DTR/RTS keep the module off: longer than VBAT needs to collapse. */
const LINE_OFF_MS = 300;

export type PowerMode =
  | { kind: 'manual' }
  | { kind: 'dtr' }
  | { kind: 'rts' }
  | { kind: 'emulator'; controlAddress: string; slot: number };

/** The power-cycle callback for the orchestrator; it runs while A0 is already streaming. */
export function createPowerControl(
  mode: PowerMode,
  port: SerialTransport,
  say: (line: string) => void,
): PowerControl {
  switch (mode.kind) {
    case 'manual':
      return {
        cycle: async () => say('power-cycle the module now'),
      };
    case 'dtr':
    case 'rts':
      return {
        cycle: async (signal) => {
          // Asserted line = module power off (the jig's switch is wired active-high).
          await port.setSignals({ [mode.kind]: true });
          try {
            await delay(LINE_OFF_MS, undefined, { signal });
          } finally {
            // Even when cancelled, the module gets its power back.
            await port.setSignals({ [mode.kind]: false });
          }
        },
      };
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
