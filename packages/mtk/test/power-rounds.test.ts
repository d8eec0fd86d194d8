// The handshake powers the module as A0 starts streaming and, when the BROM is still silent
// half-way, once more (round 2, same deadline): a missed first power-up (a PWRKEY pulse that
// switched a running module off, an operator not looking yet) is repaired within one attempt.
// Real host code against the scripted fake device over an in-memory pair.
import { afterEach, describe, expect, it } from 'vitest';
import { flashModule, type PowerCycleContext } from '../src/index';
import { createMemoryTransportPair } from '../src/testing/index';
import { startFakeDevice } from './fake-device';
import { smallPackage, syntheticDa } from './fixtures';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('power rounds during the BROM handshake', () => {
  it('powers again half-way when the first power-up was missed, and the flash passes', async () => {
    const { host, device } = createMemoryTransportPair();
    const fake = startFakeDevice(device);
    cleanups.push(async () => {
      fake.stop();
      await host.close();
      await device.close();
    });
    const rounds: PowerCycleContext[] = [];
    const result = await flashModule(host, {
      package: smallPackage(),
      da: syntheticDa(),
      power: {
        cycle: async (_signal, context) => {
          rounds.push(context!);
          // The first prompt goes unanswered; the module is switched on at the second.
          if (context!.round === 2) await fake.powerCycle();
        },
      },
      handshakeTimeoutMs: 3000,
    });
    expect(result.chip.name).toBe('MT2503');
    expect(rounds.map((r) => r.round)).toEqual([1, 2]);
    // Both rounds count down to the same handshake deadline.
    expect(rounds[1]!.until).toEqual(rounds[0]!.until);
  });

  it('does not power again once the BROM answered the first time', async () => {
    const { host, device } = createMemoryTransportPair();
    const fake = startFakeDevice(device);
    cleanups.push(async () => {
      fake.stop();
      await host.close();
      await device.close();
    });
    const rounds: number[] = [];
    await flashModule(host, {
      package: smallPackage(),
      da: syntheticDa(),
      power: {
        cycle: async (_signal, context) => {
          rounds.push(context!.round);
          await fake.powerCycle();
        },
      },
      handshakeTimeoutMs: 3000,
    });
    expect(rounds).toEqual([1]);
  });
});
