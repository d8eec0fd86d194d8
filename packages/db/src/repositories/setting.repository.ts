// Server-wide values shared by every instance and kept across restarts.
import type { PrismaClientOrTransaction } from './types';

export const settingRepository = {
  /**
   * The stored value of `key`, storing `make()`'s first when there is none. Two instances
   * starting at once agree: the insert that loses the race is ignored and both read the winner.
   */
  async getOrCreate(
    db: PrismaClientOrTransaction,
    key: string,
    make: () => string,
  ): Promise<string> {
    await db.setting.createMany({ data: [{ key, value: make() }], skipDuplicates: true });
    const row = await db.setting.findUniqueOrThrow({ where: { key } });
    return row.value;
  },
};
