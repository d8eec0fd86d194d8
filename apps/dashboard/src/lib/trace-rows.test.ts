// Unit test of the attempt page's trace timeline rows: decoded entries, offsets, failures and the
// ring buffer's gap; nothing is mocked.
import type { ProtocolTrace } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { traceOffset, traceRows } from './trace-rows';

const trace: ProtocolTrace = {
  v: 1,
  startedAt: '2026-11-27T10:00:00.000Z',
  entries: [
    { t: 0, stage: 'brom', cmd: 'HANDSHAKE', ok: true },
    {
      t: 412,
      stage: 'da_upload',
      cmd: 'SEND_DA',
      args: { addr: 0x70007000, len: 124360 },
      reply: { checksum: 0xe423 },
      ok: true,
    },
    {
      t: 9051,
      stage: 'write',
      cmd: 'WRITE',
      args: { packet: 212 },
      reply: { answer: 'NACK', error: 3061 },
      ok: false,
    },
  ],
  dropped: 37,
  gapAt: 2,
};

describe('traceRows', () => {
  it('decodes each entry with its offset and stage, the failure marked, the gap where gapAt says', () => {
    expect(traceRows(trace)).toEqual([
      { kind: 'entry', index: 0, offset: '+0.000 s', stage: 'brom', text: 'HANDSHAKE ✓', ok: true },
      {
        kind: 'entry',
        index: 1,
        offset: '+0.412 s',
        stage: 'da_upload',
        text: 'SEND_DA 0x70007000 len 124360 → checksum E423 ✓',
        ok: true,
      },
      {
        kind: 'gap',
        dropped: 37,
        text: "37 entries not kept (the station's trace buffer was full)",
      },
      {
        kind: 'entry',
        index: 2,
        offset: '+9.051 s',
        stage: 'write',
        text: 'WRITE packet 212 → NACK error 3061 ✗',
        ok: false,
      },
    ]);
  });

  it('shows no gap when nothing was dropped, and one at the end when gapAt is past the entries', () => {
    expect(traceRows({ ...trace, dropped: 0, gapAt: null }).some((r) => r.kind === 'gap')).toBe(
      false,
    );
    expect(traceRows({ ...trace, dropped: 1, gapAt: 3 }).at(-1)).toEqual({
      kind: 'gap',
      dropped: 1,
      text: "1 entry not kept (the station's trace buffer was full)",
    });
  });

  it('writes offsets in seconds to the millisecond', () => {
    expect(traceOffset(61_234)).toBe('+61.234 s');
  });
});
