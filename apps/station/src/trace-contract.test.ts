// mtk records the protocol trace in its own copy of the contract's shape (it depends on nothing);
// this keeps the copy equal to packages/contracts: the types (checked by `tsc`), the bound, and a
// trace the recorder produces passing the contract's parse.
import {
  ProtocolTrace as ContractTrace,
  TRACE_MAX_ENTRIES as CONTRACT_MAX,
  type TraceEntry as ContractEntry,
} from '@station/contracts';
import {
  TRACE_MAX_ENTRIES as MTK_MAX,
  TraceRecorder,
  type ProtocolTrace as MtkTrace,
  type TraceEntry as MtkEntry,
} from '@station/mtk';
import { describe, expect, expectTypeOf, it } from 'vitest';

describe('protocol trace shape', () => {
  it('is the same type in mtk and contracts, both ways', () => {
    expectTypeOf<MtkEntry>().toEqualTypeOf<ContractEntry>();
    expectTypeOf<MtkTrace>().toEqualTypeOf<ContractTrace>();
  });

  it('has the same bound, and a full recorder passes the contract', () => {
    expect(MTK_MAX).toBe(CONTRACT_MAX);
    const trace = new TraceRecorder();
    for (let i = 0; i < 2 * MTK_MAX; i++)
      trace.note('write', 'WRITE', { packet: 2 * i }, { answer: 'x'.repeat(100) }, i % 3 > 0);
    trace.fail('write', 'DOWNLOAD_FAIL', { timedOut: true, error: 3014 });
    const snapshot = trace.snapshot();
    expect(snapshot.dropped).toBeGreaterThan(0);
    expect(ContractTrace.parse(snapshot)).toEqual(snapshot);
  });
});
