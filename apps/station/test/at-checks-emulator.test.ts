// The AT checks around a flash against the emulator on real pseudo-terminals (#12 §5): the host
// probes a booting or resetting module with `AT` every few tens of ms, reading all the while, and
// asks ATI and AT+GSN once it answers. What the host wrote and what the module went through are
// logged in one order (the jig runs in this process), so the tests assert order, not time.
import { describe, expect, it } from 'vitest';
import {
  identifyModule,
  runFlashJob,
  TraceRecorder,
  type Transport,
  type TraceEntry,
} from '@station/mtk';
import {
  demoDa,
  demoPackage,
  moduleState,
  NEW_REVISION,
  OLD_REVISION,
  power,
} from './flash-helpers';
import { benchPerTest } from './bench-per-test';

const bench = benchPerTest();

/** `port` with every AT line it writes logged into `log` (binary frames are left out). */
function loggingAtLines(port: Transport, log: string[]): Transport {
  return {
    write: (data, timeoutMs, signal, options) => {
      const text = Buffer.from(data).toString('latin1');
      if (/^AT[A-Z+]*\r$/.test(text)) log.push(`host ${text.trim()}`);
      return port.write(data, timeoutMs, signal, options);
    },
    read: (length, timeoutMs, signal) => port.read(length, timeoutMs, signal),
    setBaudRate: (baud) => port.setBaudRate(baud),
    discardInput: () => port.discardInput(),
    close: () => port.close(),
  };
}

const steps = (entries: TraceEntry[], stage: string) =>
  entries.filter((e) => e.stage === stage).map((e) => e.cmd);
const probes = (entries: TraceEntry[], stage: string) =>
  entries.find((e) => e.stage === stage && e.cmd === 'AT')?.reply?.probes;

describe('AT checks against the emulator (paced, 1 ms latency)', () => {
  it(
    'a whole job probes through the reset and reads ATI and AT+GSN once, before and after',
    { timeout: 90_000 },
    async () => {
      const { jig, port } = await bench.open({ pacing: true, usbLatencyMs: 1 });
      await moduleState(jig, 'at');
      const log: string[] = [];
      jig.slots[0]!.module.on('state', (state) => log.push(`module ${state}`));
      const trace = new TraceRecorder();
      const result = await runFlashJob(loggingAtLines(port, log), {
        package: demoPackage(NEW_REVISION, 64 * 1024, 16 * 1024),
        da: demoDa(),
        power: power(jig),
        baud: 921600,
        preflight: true,
        postflight: true,
        expectedImei: jig.slots[0]!.imei,
        trace,
      });
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ revisionBefore: OLD_REVISION, revisionAfter: NEW_REVISION });

      const entries = trace.snapshot().entries;
      // Probing is one trace step, however many probes it took.
      expect(steps(entries, 'preflight')).toEqual(['AT', 'ATI', 'AT+GSN']);
      expect(steps(entries, 'postflight')).toEqual(['AT', 'ATI', 'AT+GSN']);
      // The module was up before the job: the host asked ATI with no module reset or boot in
      // between, and the step counts every probe it sent. (Not exactly one probe: on a loaded
      // machine the first answer can take longer than the 50 ms until the next probe.)
      const firstAti = log.indexOf('host ATI');
      expect(log.slice(0, firstAti).filter((l) => l.startsWith('module '))).toEqual([]);
      expect(probes(entries, 'preflight')).toBe(
        log.slice(0, firstAti).filter((l) => l === 'host AT').length,
      );
      expect(probes(entries, 'preflight')).toBeGreaterThanOrEqual(1);

      // After the finish the jig's relay restarts the module (da → off → brom → at): the host
      // kept probing through it and asked ATI only after the module was back, with at most one
      // probe sent in between that was already on its way (the answer to one, and one more if a
      // timer beat the read).
      const reset = log.lastIndexOf('module brom');
      const back = log.lastIndexOf('module at');
      const ati = log.lastIndexOf('host ATI');
      expect(reset).toBeGreaterThan(log.indexOf('host AT+GSN'));
      expect(log.slice(reset, back).filter((l) => l === 'host AT').length).toBeGreaterThan(1);
      expect(back).toBeLessThan(ati);
      expect(log.slice(back, ati).filter((l) => l === 'host AT').length).toBeLessThanOrEqual(2);
      expect(log.slice(ati)).toEqual(['host ATI', 'host AT+GSN']);
      expect(probes(entries, 'postflight')).toBe(
        log.slice(log.indexOf('host AT+GSN') + 1, ati).filter((l) => l === 'host AT').length,
      );
    },
  );

  it('identifies a module powered a moment ago: probes until its boot ends', async () => {
    const { jig, port } = await bench.open({ pacing: true, usbLatencyMs: 1 });
    await moduleState(jig, 'at');
    await jig.power(1, 'cycle'); // the boot ROM's window, then the boot
    expect(jig.slots[0]!.module.state).toBe('brom');
    const trace = new TraceRecorder();
    const identity = await identifyModule(port, { stage: 'preflight', trace });
    expect(identity).toMatchObject({ imei: jig.slots[0]!.imei, revision: OLD_REVISION });
    expect(probes(trace.snapshot().entries, 'preflight')).toBeGreaterThan(1);
  });
});
