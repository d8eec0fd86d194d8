import { describe, expect, it } from 'vitest';
import { StationResultMessage } from './results';
import { ProtocolTrace, describeTraceEntry, type TraceEntry } from './trace';

const entry = (fields: Partial<TraceEntry>): TraceEntry => ({
  t: 0,
  stage: 'write',
  cmd: 'WRITE',
  ok: true,
  ...fields,
});

describe('describeTraceEntry', () => {
  it('shows addresses in 32-bit hex and checksums as MediaTek prints them', () => {
    expect(
      describeTraceEntry(
        entry({
          stage: 'da_upload',
          cmd: 'SEND_DA',
          args: { addr: 0x70007000, len: 124360 },
          reply: { checksum: 0xe423 },
        }),
      ),
    ).toBe('SEND_DA 0x70007000 len 124360 → checksum E423 ✓');
  });

  it('shows a refused packet with its NACK and decimal DA error, marked failed', () => {
    expect(
      describeTraceEntry(
        entry({ args: { packet: 212 }, reply: { answer: 'NACK', error: 3061 }, ok: false }),
      ),
    ).toBe('WRITE packet 212 → NACK error 3061 ✗');
  });

  it('shows a folded run of packets as a range', () => {
    expect(
      describeTraceEntry(entry({ args: { packet: 1 }, reply: { answer: 'CONT' }, repeat: 1500 })),
    ).toBe('WRITE packet 1–1500 → CONT ✓');
  });

  it('shows fields in one order, however storage reordered them', () => {
    const stored = entry({
      stage: 'da_upload',
      cmd: 'SEND_DA',
      args: { len: 124360, addr: 0x70007000 },
      reply: { expected: 0xe423, checksum: 0x1234 },
      ok: false,
    });
    expect(describeTraceEntry(stored)).toBe(
      'SEND_DA 0x70007000 len 124360 → checksum 1234 expected E423 ✗',
    );
    expect(
      describeTraceEntry(entry({ reply: { error: 3061, answer: 'NACK' }, args: { packet: 7 } })),
    ).toBe('WRITE packet 7 → NACK error 3061 ✓');
  });

  it('shows register values and image types in hex', () => {
    expect(
      describeTraceEntry(
        entry({
          stage: 'brom',
          cmd: 'READ16',
          args: { addr: 0x80000008 },
          reply: { value: 0x6261 },
        }),
      ),
    ).toBe('READ16 0x80000008 → value 0x6261 ✓');
    expect(
      describeTraceEntry(
        entry({ stage: 'format', cmd: 'MEM', args: { addr: 0x20000, len: 10340, type: 0x0100 } }),
      ),
    ).toBe('MEM 0x00020000 len 10340 type 0x0100 ✓');
  });

  it('shows BROM status words in hex and a step with no reply alone', () => {
    expect(
      describeTraceEntry(
        entry({ stage: 'brom', cmd: 'READ32', args: { addr: 0x80000008 }, reply: { status: 0 } }),
      ),
    ).toBe('READ32 0x80000008 → 0x0000 ✓');
    expect(describeTraceEntry(entry({ stage: 'baud', cmd: 'BAUD', args: { baud: 921600 } }))).toBe(
      'BAUD baud 921600 ✓',
    );
  });
});

describe('ProtocolTrace', () => {
  it('refuses entries that are not commands and traces beyond the cap', () => {
    const base = { v: 1, startedAt: new Date(0).toISOString(), dropped: 0, gapAt: null };
    expect(ProtocolTrace.safeParse({ ...base, entries: [entry({ cmd: 'rm -rf' })] }).success).toBe(
      false,
    );
    expect(
      ProtocolTrace.safeParse({ ...base, entries: Array.from({ length: 401 }, () => entry({})) })
        .success,
    ).toBe(false);
    expect(ProtocolTrace.safeParse({ ...base, entries: [entry({})] }).success).toBe(true);
  });
});

describe('a result message carrying a trace', () => {
  const trace = (fields: Partial<ProtocolTrace> = {}) => ({
    v: 1,
    startedAt: new Date(0).toISOString(),
    entries: [entry({ args: { packet: 212 }, reply: { answer: 'NACK', error: 3014 }, ok: false })],
    dropped: 0,
    gapAt: null,
    ...fields,
  });
  const message = (value: unknown) => ({
    v: 1,
    stationId: 'station-1',
    bootId: 'boot-1',
    slot: 1,
    imei: '861359031000019',
    result: {
      v: 1,
      attemptId: 'a-1',
      outcome: 'failed',
      errorCode: 4008,
      errorName: 'S_FT_DOWNLOAD_FAIL',
      stage: 'write',
      retryable: true,
      stageTimings: {},
      baud: 921600,
      bytesWritten: 0,
      revisionBefore: null,
      revisionAfter: null,
      imeiRead: null,
      trace: value,
    },
  });
  /** Where the contract refuses `value` as a trace; the message itself is kept without it. */
  const refusal = (value: unknown): string | undefined => {
    const kept = StationResultMessage.parse(message(value));
    expect(kept.result).toMatchObject({ attemptId: 'a-1', errorCode: 4008 });
    expect(kept.result).not.toHaveProperty('trace', expect.anything());
    const parsed = ProtocolTrace.safeParse(value);
    return parsed.success ? undefined : parsed.error.issues.map((i) => i.path.join('.')).join(' ');
  };

  it('accepts a trace the station records and keeps only the contract fields', () => {
    const parsed = StationResultMessage.parse(message({ ...trace(), extra: 'x'.repeat(10_000) }));
    expect(parsed.result.trace).toEqual(trace());
  });

  it('refuses an oversized or forged trace, naming the field, and keeps the result without it', () => {
    const many = Array.from({ length: 401 }, () => entry({}));
    expect(refusal(trace({ entries: many }))).toBe('entries');
    const long = entry({ reply: { answer: 'x'.repeat(65) } });
    expect(refusal(trace({ entries: [long] }))).toBe('entries.0.reply.answer');
    const wide = entry({
      args: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}`, i])),
    });
    expect(refusal(trace({ entries: [wide] }))).toBe('entries.0.args');
    expect(refusal(trace({ entries: [entry({ cmd: '<script>' })] }))).toBe('entries.0.cmd');
    expect(refusal(trace({ entries: [entry({ repeat: 1 })] }))).toBe('entries.0.repeat');
    expect(refusal(trace({ dropped: 5, gapAt: 9 }))).toBe('gapAt');
    expect(refusal(trace({ dropped: 5, gapAt: null }))).toBe('gapAt');
    expect(refusal({ ...trace(), v: 2 })).toBe('v');
  });
});
