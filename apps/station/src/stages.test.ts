// One vocabulary (design §9): mtk keeps its own copy of the flash stages because it depends on
// nothing; this test keeps that copy equal to packages/contracts, the list every other layer uses.
// The type assertions fail `tsc` (npm run typecheck), the value assertion fails the test run.
import {
  FLASH_STAGES as CONTRACT_STAGES,
  type FlashStage as ContractStage,
} from '@station/contracts';
import { FLASH_STAGES as MTK_STAGES, type FlashStage as MtkStage } from '@station/mtk';
import { describe, expect, expectTypeOf, it } from 'vitest';

describe('flash stages', () => {
  it('are the same type in mtk and contracts, both ways', () => {
    expectTypeOf<MtkStage>().toEqualTypeOf<ContractStage>();
    expectTypeOf<ContractStage>().toEqualTypeOf<MtkStage>();
    expectTypeOf(MTK_STAGES).toEqualTypeOf(CONTRACT_STAGES);
  });

  it('are the same values in the same order', () => {
    expect([...MTK_STAGES]).toEqual([...CONTRACT_STAGES]);
  });
});
