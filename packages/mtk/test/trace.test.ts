// The protocol trace as the host code records it, against the scripted fake device: every command
// once, folded runs, retransmissions and the failing step with ok=false.
import { afterEach, describe, expect, it } from 'vitest';
import { flashModule, TraceRecorder, type ProtocolTrace } from '../src/index';
import { createMemoryTransportPair } from '../src/testing/index';
import { startFakeDevice, type FakeFaults } from './fake-device';
import { smallPackage, syntheticDa } from './fixtures';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** One flash against the fake with `faults`, traced; resolves the trace whatever the outcome. */
async function tracedFlash(faults: FakeFaults): Promise<{ trace: ProtocolTrace; ok: boolean }> {
  const { host, device } = createMemoryTransportPair();
  const fake = startFakeDevice(device, faults);
  cleanups.push(async () => {
    fake.stop();
    await host.close();
    await device.close();
  });
  const trace = new TraceRecorder();
  const ok = await flashModule(host, {
    package: smallPackage(),
    da: syntheticDa(),
    baud: 921600,
    power: { cycle: () => fake.powerCycle() },
    handshakeTimeoutMs: 400,
    daSyncTimeoutMs: 300,
    trace,
  }).then(
    () => true,
    () => false,
  );
  return { trace: trace.snapshot(), ok };
}

const commands = (trace: ProtocolTrace): string[] => trace.entries.map((e) => e.cmd);

describe('protocol trace of a flash', () => {
  it('records each step once, in order, and folds the packets of a passing flash', async () => {
    const { trace, ok } = await tracedFlash({});
    expect(ok).toBe(true);
    expect(trace.entries.every((e) => e.ok)).toBe(true);
    const order = ['START', 'CHIP', 'WRITE16', 'SEND_DA', 'JUMP_DA', 'SYNC', 'CONFIG'];
    const firstIndex = order.map((cmd) => commands(trace).indexOf(cmd));
    expect(firstIndex).toEqual([...firstIndex].sort((a, b) => a - b));
    expect(commands(trace)).toEqual(
      expect.arrayContaining(['REPORT', 'BAUD', 'MEM', 'FORMAT', 'WRITE', 'WRITE_END', 'VERIFY']),
    );
    expect(commands(trace).slice(-3)).toEqual([
      'CLEAR_POWERKEY',
      'CLEAR_LONG_PRESS_PWKEY',
      'ENABLE_WATCHDOG',
    ]);
    const packets = trace.entries.filter((e) => e.cmd === 'WRITE' && e.args?.packet !== undefined);
    expect(packets).toEqual([
      expect.objectContaining({ args: { packet: 1 }, reply: { answer: 'CONT' }, repeat: 5 }),
    ]);
    expect(trace.entries.find((e) => e.cmd === 'SEND_DA')).toMatchObject({
      stage: 'da_upload',
      args: { addr: expect.any(Number), len: expect.any(Number) },
      reply: { checksum: expect.any(Number) },
    });
    expect(trace.dropped).toBe(0);
  });

  it('records a NACKed packet with its DA error, then its retransmission', async () => {
    const { trace, ok } = await tracedFlash({ writeNacks: 2 });
    expect(ok).toBe(true);
    const write = trace.entries.filter((e) => e.stage === 'write');
    expect(write.slice(1, 6)).toMatchObject([
      { cmd: 'WRITE', args: { packet: 1 }, reply: { answer: 'NACK', error: 3064 }, ok: false },
      { cmd: 'RETRANSMIT', args: { packet: 1, attempt: 2 }, reply: { answer: 'ACK' }, ok: true },
      { cmd: 'WRITE', args: { packet: 1 }, reply: { answer: 'NACK', error: 3064 }, ok: false },
      { cmd: 'RETRANSMIT', args: { packet: 1, attempt: 3 }, ok: true },
      { cmd: 'WRITE', args: { packet: 1 }, reply: { answer: 'CONT' }, ok: true, repeat: 5 },
    ]);
  });

  it('ends a failed flash with the failing step: the packet refused too often', async () => {
    const { trace, ok } = await tracedFlash({ writeNacks: 10 });
    expect(ok).toBe(false);
    expect(trace.entries.at(-1)).toMatchObject({
      stage: 'write',
      cmd: 'WRITE',
      args: { packet: 1 },
      reply: { answer: 'NACK', error: 3064 },
      ok: false,
    });
  });

  it('ends with the bad SEND_DA checksum, or the silent command with its timeout', async () => {
    const corrupt = await tracedFlash({ corruptDaChecksum: true });
    expect(corrupt.trace.entries.at(-1)).toMatchObject({
      cmd: 'SEND_DA',
      reply: { checksum: expect.any(Number), expected: expect.any(Number) },
      ok: false,
    });
    const silent = await tracedFlash({ silentWrites: true });
    expect(silent.trace.entries.at(-1)).toMatchObject({
      stage: 'brom',
      cmd: 'WRITE16',
      reply: { answer: 'timeout' },
      ok: false,
    });
  });
});
