// Synthetic rows for tests: one station with slots, a firmware package and modules.
import type { PrismaClient } from '../src/generated/prisma/client';
import { randomBytes } from 'node:crypto';
import { firmwarePackageRepository, moduleRepository, stationRepository } from '../src/index';

let counter = 0;

/** A valid 15-digit IMEI, different on each call. */
export function nextImei(): string {
  counter += 1;
  return `35${String(Date.now() % 1e7).padStart(7, '0')}${String(counter).padStart(6, '0')}`.slice(
    0,
    15,
  );
}

/** A random package digest (64 lower-case hex digits). */
export function nextDigest(): string {
  return randomBytes(32).toString('hex');
}

export async function seedLine(prisma: PrismaClient, slotCount = 2) {
  const { station } = await stationRepository.upsert(prisma, {
    code: `jig-${nextImei().slice(-6)}`,
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
    revision: `rev-${nextImei().slice(-6)}`,
    platform: 'MT2503',
    allowedFlashIds: ['0xEF4018'],
  });
  const module = await moduleRepository.upsertByImei(prisma, nextImei());
  const slots = station.slots;
  return { station, slots, firmware, module };
}
