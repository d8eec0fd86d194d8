// At start: the per-unit per-shift roll-up must have been built with this server's SHIFTS and
// LINE_TIME_ZONE, or a whole shift's yield would count units into the wrong shifts. A changed
// definition rebuilds it here, before the server answers (minutes at 10 M attempts).
import { unitShiftRepository, type PrismaClient, type ShiftDefinition } from '@station/db';
import type { Logger } from '@station/logger';

export async function ensureRollupDefinition(
  prisma: PrismaClient,
  definition: ShiftDefinition,
  logger: Logger,
): Promise<void> {
  const startedAt = Date.now();
  const result = await unitShiftRepository.ensureDefinition(prisma, definition);
  if (result.rebuilt)
    logger.info(
      { rows: result.rows, ms: Date.now() - startedAt, timeZone: definition.timeZone },
      'shift definition changed: unit_shifts roll-up rebuilt',
    );
}
