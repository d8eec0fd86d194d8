// One vocabulary (design §9): the database's flash_stage enum is the contracts' stage list, so the
// server stores and emits stages without any mapping.
import { FLASH_STAGES, type FlashStage as ContractStage } from '@station/contracts';
import { FlashStage as DbStageEnum, type FlashStage as DbStage } from '@station/db';
import { describe, expect, expectTypeOf, it } from 'vitest';

describe('flash stages', () => {
  it('the database enum has exactly the contracts stages, in order', () => {
    expectTypeOf<DbStage>().toEqualTypeOf<ContractStage>();
    expect(Object.values(DbStageEnum)).toEqual([...FLASH_STAGES]);
  });
});
