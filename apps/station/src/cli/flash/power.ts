import type { PowerMode } from '../../ports/power-control';

// The power-cycle logic itself lives in ports/power-control (the agent's flash worker uses it too).
export { createPowerControl, type PowerMode } from '../../ports/power-control';

/** PWRKEY pulse when --power dtr/rts names none (MC60: at least ~1 s to switch on). */
export const DEFAULT_PULSE_MS = 1200;

/**
 * `manual`; `dtr`/`rts` (pin low presses PWRKEY) with an optional `-high` (pin high presses: a
 * single NPN transistor) and `:<pulse ms>`; `emulator:<controlAddress>#<slot>`.
 */
export function parsePowerMode(text: string): PowerMode {
  if (text === 'manual') return { kind: text };
  const line = /^(dtr|rts)(-high)?(?::(\d{2,5}))?$/.exec(text);
  if (line)
    return {
      kind: line[1] as 'dtr' | 'rts',
      activeLow: line[2] === undefined,
      pulseMs: line[3] === undefined ? DEFAULT_PULSE_MS : Number(line[3]),
    };
  const match = /^emulator:(.+)#(\d+)$/.exec(text);
  if (match) return { kind: 'emulator', controlAddress: match[1]!, slot: Number(match[2]) };
  throw new Error(
    `--power must be manual, dtr[-high][:<pulse ms>], rts[-high][:<pulse ms>] or emulator:<controlAddress>#<slot>, got "${text}"`,
  );
}
