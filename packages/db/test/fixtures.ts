// Synthetic rows for tests: one station with slots, a firmware package and a module.
import type { FlashAttempt, PrismaClient } from '../src/generated/prisma/client';
import { randomBytes } from 'node:crypto';
import { uniqueImei } from '@station/testkit';
import { firmwarePackageRepository, stationRepository } from '../src/index';
import type { PrismaClientOrTransaction } from '../src/repositories/types';

/** A random package digest (64 lower-case hex digits). */
export function nextDigest(): string {
  return randomBytes(32).toString('hex');
}

/** `<label>-<8 hex>`, unique per call: station codes and revisions of their own per test. */
export const uniqueName = (label: string): string => `${label}-${randomBytes(4).toString('hex')}`;

export async function seedLine(prisma: PrismaClient, slotCount = 2) {
  const { station } = await stationRepository.upsert(prisma, {
    code: uniqueName('jig'),
    name: 'Test jig',
    slots: Array.from({ length: slotCount }, (_, index) => ({
      index,
      label: `S${index + 1}`,
      powerControl: 'emulator' as const,
    })),
  });
  const firmware = await firmwarePackageRepository.upsertFromStation(prisma, {
    packageId: 'MC60CAR01A12',
    digest: nextDigest(),
    revision: uniqueName('rev'),
    platform: 'MT2503',
    allowedFlashIds: ['0xEF4018'],
  });
  const module = await prisma.module.create({ data: { imei: uniqueImei() } });
  const slots = station.slots;
  return { station, slots, firmware, module };
}

/** The slot's open (running) attempt, if any, as the one-open-per-slot index allows. */
export function openAttemptIn(
  db: PrismaClientOrTransaction,
  slotId: string,
): Promise<FlashAttempt | null> {
  return db.flashAttempt.findFirst({ where: { slotId, endedAt: null } });
}
