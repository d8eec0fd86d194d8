import { describe, expect, it } from 'vitest';
import { TraceRecorder } from './trace-recorder';

/** A recorder on a clock the test moves. */
function recorder(options: { maxEntries?: number; headEntries?: number } = {}) {
  let now = 1_000;
  const trace = new TraceRecorder({ ...options, now: () => now });
  return { trace, tick: (ms: number) => (now += ms) };
}

const writePacket = (trace: TraceRecorder, packet: number, answer = 'CONT'): void => {
  trace.begin('write', 'WRITE', { packet });
  trace.done('write', { answer }, answer === 'CONT');
};

describe('TraceRecorder', () => {
  it('records a command with its arguments, answer, stage and time since the start', () => {
    const { trace, tick } = recorder();
    tick(12);
    trace.begin('da_upload', 'SEND_DA', { addr: 0x70007000, len: 124360 });
    tick(30);
    trace.done('da_upload', { checksum: 0xe423 });
    expect(trace.snapshot()).toEqual({
      v: 1,
      startedAt: new Date(1_000).toISOString(),
      entries: [
        {
          t: 12,
          stage: 'da_upload',
          cmd: 'SEND_DA',
          args: { addr: 0x70007000, len: 124360 },
          reply: { checksum: 0xe423 },
          ok: true,
        },
      ],
      dropped: 0,
      gapAt: null,
    });
  });

  it('folds consecutive packets into one entry with their count, and stops at a NACK', () => {
    const { trace } = recorder();
    for (let packet = 1; packet <= 1500; packet++) writePacket(trace, packet);
    writePacket(trace, 1501, 'NACK');
    writePacket(trace, 1501);
    writePacket(trace, 1502);
    const entries = trace.snapshot().entries;
    expect(entries.map(({ args, reply, ok, repeat }) => ({ args, reply, ok, repeat }))).toEqual([
      { args: { packet: 1 }, reply: { answer: 'CONT' }, ok: true, repeat: 1500 },
      { args: { packet: 1501 }, reply: { answer: 'NACK' }, ok: false, repeat: undefined },
      { args: { packet: 1501 }, reply: { answer: 'CONT' }, ok: true, repeat: 2 },
    ]);
  });

  it('does not fold packets out of sequence, other commands or other answers', () => {
    const { trace } = recorder();
    writePacket(trace, 1);
    writePacket(trace, 3);
    trace.note('brom', 'START', { send: 'A0' }, { answer: 'silence' });
    trace.note('brom', 'START', { send: 'A0' }, { answer: 'silence' });
    trace.note('brom', 'START', { send: 'A0' }, { answer: '5F' });
    trace.note('brom', 'READ16', { addr: 0x80000008 }, { value: 0x6261 });
    expect(trace.snapshot().entries.map((e) => [e.cmd, e.repeat])).toEqual([
      ['WRITE', undefined],
      ['WRITE', undefined],
      ['START', 2],
      ['START', undefined],
      ['READ16', undefined],
    ]);
  });

  it('keeps the opening entries and a ring of the latest, with what it dropped and where', () => {
    const { trace } = recorder({ maxEntries: 10, headEntries: 3 });
    // Steps that do not fold: 40 entries for 10 places.
    for (let i = 0; i < 40; i++) trace.note('write', 'STEP', { n: i });
    const snapshot = trace.snapshot();
    expect(snapshot.entries).toHaveLength(10);
    expect(snapshot.dropped).toBe(30);
    expect(snapshot.gapAt).toBe(3);
    expect(snapshot.entries.map((e) => e.args?.n)).toEqual([0, 1, 2, 33, 34, 35, 36, 37, 38, 39]);
  });

  it('never holds more than its bound, by default 400', () => {
    const { trace } = recorder();
    for (let i = 0; i < 5000; i++) trace.note('write', 'STEP', { n: i });
    const snapshot = trace.snapshot();
    expect(snapshot.entries).toHaveLength(400);
    expect(snapshot.dropped).toBe(4600);
    expect(snapshot.entries.at(-1)?.args?.n).toBe(4999);
  });

  it('names the failing command with its timeout, once, whatever rewraps the error', () => {
    const { trace } = recorder();
    writePacket(trace, 1);
    trace.begin('write', 'WRITE', { packet: 2 });
    trace.fail('write', 'DOWNLOAD_FAIL', { timedOut: true });
    trace.fail('write', 'PROTOCOL_EXCEPTION');
    expect(trace.snapshot().entries.at(-1)).toMatchObject({
      cmd: 'WRITE',
      args: { packet: 2 },
      reply: { answer: 'timeout' },
      ok: false,
    });
    expect(trace.snapshot().entries).toHaveLength(2);
  });

  it('records no second entry for a failure its site already recorded', () => {
    const { trace } = recorder();
    writePacket(trace, 7, 'NACK');
    trace.fail('write', 'DOWNLOAD_FAIL', { error: 3014 });
    expect(trace.snapshot().entries).toHaveLength(1);
  });

  it('records a failure outside any command under its error code', () => {
    const { trace } = recorder();
    trace.note('postflight', 'ATI', undefined, { answer: 'Revision: MC60CAR01A03' });
    trace.fail('postflight', 'REVISION_MISMATCH');
    expect(trace.snapshot().entries.at(-1)).toEqual({
      t: 0,
      stage: 'postflight',
      cmd: 'REVISION_MISMATCH',
      ok: false,
    });
  });

  it('leaves out undefined fields and cuts long answers', () => {
    const { trace } = recorder();
    trace.note('preflight', 'ATI', { none: undefined }, { answer: 'x'.repeat(100) });
    const [entry] = trace.snapshot().entries;
    expect(entry).not.toHaveProperty('args');
    expect(entry?.reply?.answer).toHaveLength(64);
  });

  it('returns snapshots later records do not change', () => {
    const { trace } = recorder();
    writePacket(trace, 1);
    const before = trace.snapshot();
    writePacket(trace, 2);
    expect(before.entries[0]?.repeat).toBeUndefined();
    expect(trace.snapshot().entries[0]?.repeat).toBe(2);
  });
});
