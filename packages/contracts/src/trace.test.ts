import { describe, expect, it } from 'vitest';
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
