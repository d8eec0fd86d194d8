// Window figures for the alert rules, from the same query and definitions as GET /api/yield.
import { analyticsRepository, type PrismaClient, type ShiftSpec } from '@station/db';
import { yieldRow } from '../analytics/figures';
import type { WindowFigures } from './alert-inputs';

export function yieldFigures(prisma: PrismaClient, timeZone: string, shifts: readonly ShiftSpec[]) {
  return async (
    groupBy: 'station' | 'slot',
    from: Date,
    to: Date,
  ): Promise<ReadonlyMap<string, WindowFigures>> => {
    const window = { from, to };
    const groups = await analyticsRepository.yieldGroups(prisma, {
      ...window,
      groupBy,
      timeZone,
      shifts,
    });
    return new Map(
      groups.map((group) => {
        const row = yieldRow(window, group);
        return [
          row.key,
          { units: row.units, firstPassYield: row.firstPassYield, retestRate: row.retestRate },
        ];
      }),
    );
  };
}
