import type { PowerMode } from '../../ports/power-control';

// The power-cycle logic itself lives in ports/power-control (the agent's flash worker uses it too).
export { createPowerControl, type PowerMode } from '../../ports/power-control';

export function parsePowerMode(text: string): PowerMode {
  if (text === 'manual' || text === 'dtr' || text === 'rts') return { kind: text };
  const match = /^emulator:(.+)#(\d+)$/.exec(text);
  if (match) return { kind: 'emulator', controlAddress: match[1]!, slot: Number(match[2]) };
  throw new Error(
    `--power must be manual, dtr, rts or emulator:<controlAddress>#<slot>, got "${text}"`,
  );
}
