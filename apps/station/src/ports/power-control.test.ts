// The DTR/RTS PWRKEY pulse, checked as the sequence of modem-line writes it makes. Pseudo-terminals
// have no modem lines, so the port here is a recording double of SerialTransport.setSignals (the
// only stand-in in these tests: no real adapter exists on this machine). Manual power is checked as
// the prompt it raises.
import type { PowerPrompt } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import {
  createPowerControl,
  pulsePowerKey,
  releasePowerKey,
  type ModemLines,
} from './power-control';

function recordingPort(): ModemLines & { calls: { dtr?: boolean; rts?: boolean }[] } {
  const calls: { dtr?: boolean; rts?: boolean }[] = [];
  return {
    calls,
    setSignals: async (signals) => void calls.push(signals),
  };
}

describe('PWRKEY pulse on DTR/RTS', () => {
  it('NPN transistor (active-high): presses by releasing the line (pin high), then asserts it again', async () => {
    const port = recordingPort();
    await pulsePowerKey(port, { kind: 'dtr', activeLow: false, pulseMs: 50 });
    expect(port.calls).toEqual([{ dtr: false }, { dtr: true }]);
  });

  it('straight or open-collector (active-low): presses by asserting the line (pin low)', async () => {
    const port = recordingPort();
    await pulsePowerKey(port, { kind: 'rts', activeLow: true, pulseMs: 50 });
    expect(port.calls).toEqual([{ rts: true }, { rts: false }]);
  });

  it('lets go of PWRKEY right after the port opens (the kernel asserted DTR and RTS)', async () => {
    const low = recordingPort();
    await releasePowerKey(low, { kind: 'dtr', activeLow: true });
    const high = recordingPort();
    await releasePowerKey(high, { kind: 'rts', activeLow: false });
    expect(low.calls).toEqual([{ dtr: false }]);
    expect(high.calls).toEqual([{ rts: true }]);
  });

  it('releases PWRKEY even when the flash is cancelled mid-pulse', async () => {
    const port = recordingPort();
    const controller = new AbortController();
    const pulse = pulsePowerKey(
      port,
      { kind: 'dtr', activeLow: false, pulseMs: 60_000 },
      controller.signal,
    );
    controller.abort(new Error('cancelled'));
    await expect(pulse).rejects.toThrow();
    expect(port.calls).toEqual([{ dtr: false }, { dtr: true }]);
  });

  it('pulses again on every cycle the handshake asks for (half-way, or after a failed start)', async () => {
    const port = recordingPort();
    const power = createPowerControl({ kind: 'rts', activeLow: false, pulseMs: 50 }, port, {
      say: () => {},
    });
    await power.cycle(undefined, { round: 1, until: new Date() });
    await power.cycle(undefined, { round: 2, until: new Date() });
    expect(port.calls).toEqual([{ rts: false }, { rts: true }, { rts: false }, { rts: true }]);
  });
});

describe('manual power', () => {
  it('prompts the operator with the round and the handshake deadline, touching no line', async () => {
    const port = recordingPort();
    const prompts: PowerPrompt[] = [];
    const said: string[] = [];
    const power = createPowerControl({ kind: 'manual' }, port, {
      say: (line) => said.push(line),
      prompt: (prompt) => prompts.push(prompt),
    });
    const until = new Date('2026-11-27T15:00:30.000Z');
    await power.cycle(undefined, { round: 1, until });
    await power.cycle(undefined, { round: 2, until });
    expect(prompts).toEqual([
      { kind: 'power-cycle', until: '2026-11-27T15:00:30.000Z', round: 1 },
      { kind: 'power-cycle', until: '2026-11-27T15:00:30.000Z', round: 2 },
    ]);
    expect(said).toEqual(['power-cycle the module now', 'power-cycle the module now']);
    expect(port.calls).toEqual([]);
  });
});

describe('which power restarts the module after its download', () => {
  it('only a relay on the supply does; a PWRKEY pulse or an operator leaves it to the watchdog', () => {
    const port = recordingPort();
    const say = () => undefined;
    const relay = createPowerControl(
      { kind: 'emulator', controlAddress: '/nonexistent/control.sock', slot: 1 },
      port,
      { say },
    );
    expect(relay.switchesSupply).toBe(true);
    for (const kind of ['dtr', 'rts'] as const)
      expect(
        createPowerControl({ kind, activeLow: true, pulseMs: 50 }, port, { say }).switchesSupply,
      ).toBeFalsy();
    expect(createPowerControl({ kind: 'manual' }, port, { say }).switchesSupply).toBeFalsy();
    expect(port.calls).toEqual([]);
  });
});
