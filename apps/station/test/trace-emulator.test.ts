// The protocol trace of real flashes: the station's host code (packages/mtk) against the emulator
// over real socat ptys and the real SerialTransport, read the way the attempt page shows it.
import { describeTraceEntry, ProtocolTrace } from '@station/contracts';
import { runFlashJob, TraceRecorder } from '@station/mtk';
import { describe, expect, it } from 'vitest';
import {
  demoDa,
  demoPackage,
  moduleState,
  NEW_REVISION,
  OLD_REVISION,
  power,
} from './flash-helpers';
import { benchPerTest } from './bench-per-test';

const BAD_SECTOR = 0x24000;

const bench = benchPerTest();

/** One traced flash of slot 1 as the station runs it (AT checks either side, 921600 baud). */
async function tracedFlash(pkg = demoPackage(), faults = {}, fallback = false) {
  const { jig, port } = await bench.open({ slots: [{ slot: 1, revision: OLD_REVISION, faults }] });
  await moduleState(jig, 'at');
  const recorder = new TraceRecorder();
  const run = await runFlashJob(port, {
    package: pkg,
    da: demoDa(),
    power: power(jig),
    baud: 921600,
    preflight: true,
    postflight: true,
    expectedImei: jig.slots[0]!.imei,
    trace: recorder,
    fallback,
  });
  const trace = ProtocolTrace.parse(recorder.snapshot());
  return { run, trace, lines: trace.entries.map(describeTraceEntry) };
}

describe('protocol trace against the emulator', () => {
  it('names the packet the bad sector refused, with its DA error, as the last step', async () => {
    const pkg = demoPackage(NEW_REVISION, 32 * 1024, 8 * 1024);
    const { run, trace, lines } = await tracedFlash(pkg, { badSector: BAD_SECTOR });
    expect(run.error).toMatchObject({ code: 'DOWNLOAD_FAIL', deviceStatus: 3014 });
    // ROM starts at 0x20000: the bad sector's first packet is the fifth.
    expect(lines.at(-1)).toBe('WRITE packet 5 → NACK error 3014 ✗');
    expect(trace.entries.at(-1)).toMatchObject({ stage: 'write', ok: false });
    expect(lines).toContain('WRITE packet 1–4 → CONT ✓');
    const sendDa = lines.filter((line) => line.startsWith('SEND_DA'));
    expect(sendDa).toHaveLength(2);
    for (const line of sendDa)
      expect(line).toMatch(/^SEND_DA 0x[0-9A-F]{8} len \d+ → checksum [0-9A-F]{4} ✓$/);
    expect(lines).toContain('AT+GSN → ' + bench.current.jig.slots[0]!.imei + ' ✓');
    expect(trace.entries.filter((e) => !e.ok)).toHaveLength(1);
  });

  it('folds a passing 1.5 MB flash into a few dozen entries, nothing dropped', async () => {
    const pkg = demoPackage(NEW_REVISION, 1024 * 1024, 512 * 1024);
    const { run, trace, lines } = await tracedFlash(pkg);
    expect(run.error).toBeUndefined();
    expect(trace.entries.every((e) => e.ok)).toBe(true);
    expect(trace.entries.length).toBeLessThan(60);
    expect(trace.dropped).toBe(0);
    const packets = Math.ceil((1024 * 1024) / 4096) + Math.ceil((512 * 1024) / 4096);
    expect(lines).toContain(`WRITE packet 1–${packets} → CONT ✓`);
    expect(lines.at(-1)).toMatch(/^AT\+GSN → \d{15} ✓$/);
  });

  it('keeps one trace across a baud fallback: the failed switch, the fallback, the retry', async () => {
    const noisy = { noisyLine: { aboveBaud: 460800, byteErrorRate: 0.05, seed: 3 } };
    const pkg = demoPackage(NEW_REVISION, 32 * 1024, 8 * 1024);
    const { run, trace, lines } = await tracedFlash(pkg, noisy, true);
    expect(run.error).toBeUndefined();
    const failed = trace.entries.filter((e) => !e.ok);
    expect(failed).toEqual([
      expect.objectContaining({ stage: 'baud', cmd: 'BAUD', args: { baud: 921600 } }),
    ]);
    const fallback = lines.indexOf('FALLBACK baud 460800 ✓');
    expect(fallback).toBeGreaterThan(trace.entries.indexOf(failed[0]!));
    expect(lines.indexOf('BAUD baud 460800 → loopback ok ✓')).toBeGreaterThan(fallback);
    expect(lines.filter((line) => line.startsWith('SEND_DA 0x70007000'))).toHaveLength(2);
  });
});
