// How the module restarts into its new firmware after the download, against the emulator on real
// pseudo-terminals: a jig's relay switches the supply off and on at once; without one (PWRKEY
// pulse, an operator) the DA's ≈ 1 s watchdog does it. The module's state changes and resets are
// logged in one order with the job's trace, so the tests assert order, not time.
import { describe, expect, it } from 'vitest';
import { runFlashJob, TraceRecorder, type PowerControl, type TraceEntry } from '@station/mtk';
import { demoDa, demoPackage, moduleState, NEW_REVISION, OLD_REVISION } from './flash-helpers';
import { benchPerTest } from './bench-per-test';

const bench = benchPerTest();

const restartStep = (entries: TraceEntry[]) =>
  entries.find((e) => e.stage === 'finish' && e.cmd === 'POWER_RESTART');

/**
 * One whole job (AT checks around the flash) through a power control on the jig's slot that
 * counts its cycles: `switchesSupply` as a relay says it, `failAtCycle` fails that cycle as a
 * relay board gone offline would. What the module went through from the DA on.
 */
async function flashWith(power: { switchesSupply?: boolean; failAtCycle?: number }) {
  const { jig } = bench.current;
  await moduleState(jig, 'at');
  const module = jig.slots[0]!.module;
  const events: string[] = [];
  module.on('state', (state) => events.push(state));
  module.on('reset', (reason) => events.push(`reset:${reason}`));
  let cycles = 0;
  const control: PowerControl = {
    ...(power.switchesSupply ? { switchesSupply: true } : {}),
    cycle: async () => {
      cycles += 1;
      if (cycles === power.failAtCycle) throw new Error('relay board offline');
      await jig.power(1, 'cycle');
    },
  };
  const trace = new TraceRecorder();
  const result = await runFlashJob(bench.current.port, {
    package: demoPackage(NEW_REVISION, 64 * 1024, 16 * 1024),
    da: demoDa(),
    power: control,
    baud: 921600,
    preflight: true,
    postflight: true,
    expectedImei: jig.slots[0]!.imei,
    trace,
  });
  const entries = trace.snapshot().entries;
  // The restart and the boot into the new firmware.
  const afterDa = events.slice(events.lastIndexOf('da'));
  return { result, entries, afterDa, cycles };
}

describe('restart after the download', () => {
  it('a relay-powered slot is switched off and on at once: no watchdog reset', async () => {
    await bench.open();
    const { result, entries, afterDa, cycles } = await flashWith({ switchesSupply: true });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ revisionBefore: OLD_REVISION, revisionAfter: NEW_REVISION });
    // Once into the boot ROM for the download, once to restart.
    expect(cycles).toBe(2);
    expect(afterDa).toEqual(['da', 'off', 'brom', 'at']);
    expect(restartStep(entries)).toMatchObject({ ok: true, reply: { answer: 'cycled' } });
    // The finish still arms the watchdog first: it is the fallback if the relay fails.
    const finish = entries.filter((e) => e.stage === 'finish').map((e) => e.cmd);
    expect(finish).toEqual([
      'CLEAR_POWERKEY',
      'CLEAR_LONG_PRESS_PWKEY',
      'ENABLE_WATCHDOG',
      'POWER_RESTART',
    ]);
  });

  it('a relay that fails at the restart leaves it to the armed watchdog: the job passes', async () => {
    await bench.open();
    const { result, entries, afterDa } = await flashWith({ switchesSupply: true, failAtCycle: 2 });
    expect(result.error).toBeUndefined();
    expect(result.revisionAfter).toBe(NEW_REVISION);
    expect(afterDa).toEqual(['da', 'reset:watchdog', 'brom', 'at']);
    expect(restartStep(entries)).toMatchObject({
      ok: false,
      reply: { answer: 'failed', fallback: 'watchdog', error: 'relay board offline' },
    });
  });

  it('a slot without a relay (PWRKEY, an operator) restarts by the watchdog alone', async () => {
    await bench.open();
    const { result, entries, afterDa, cycles } = await flashWith({});
    expect(result.error).toBeUndefined();
    expect(result.revisionAfter).toBe(NEW_REVISION);
    expect(cycles).toBe(1);
    expect(afterDa).toEqual(['da', 'reset:watchdog', 'brom', 'at']);
    expect(restartStep(entries)).toBeUndefined();
  });
});
