// The record a result-path test starts from (a station with four slots and the demo package) and
// a result as a station reports it: shared by the result path and the judgement tests.
import type { StationResultMessage } from '@station/contracts';
import {
  attemptRepository,
  firmwarePackageRepository,
  stationRepository,
  type PrismaClient,
} from '@station/db';
import { uniqueImei } from '@station/testkit';

export interface SeededStation {
  /** The station's code (what messages and streams name). */
  code: string;
  stationId: string;
  slotIds: string[];
  packageId: string;
}

/** A registered station with slots 1…`slots` and the demo package, as its registration stores them. */
export async function seedStationRecord(
  prisma: PrismaClient,
  code: string,
  slots = 4,
): Promise<SeededStation> {
  const { station } = await stationRepository.upsert(prisma, {
    code,
    name: code,
    slots: Array.from({ length: slots }, (_, index) => ({
      index,
      label: `slot-${String(index + 1).padStart(2, '0')}`,
    })),
  });
  const pkg = await firmwarePackageRepository.upsertFromStation(prisma, {
    packageId: 'demo-MC60CAR01A13',
    digest: 'a'.repeat(64),
    revision: 'MC60CAR01A13',
    platform: 'MT6261',
  });
  return {
    code,
    stationId: station.id,
    slotIds: station.slots.map((s) => s.id),
    packageId: pkg.id,
  };
}

/** An attempt opened by a scan at `slot` (1-based) at 921600 baud. */
export const openTestAttempt = (
  prisma: PrismaClient,
  seed: SeededStation,
  slot: number,
  imei = uniqueImei(),
) =>
  attemptRepository.openForScan(prisma, {
    imei,
    stationId: seed.stationId,
    slotId: seed.slotIds[slot - 1]!,
    packageId: seed.packageId,
    baud: 921600,
  });

/** A PASS as station `stationCode` reports it; `overrides` replace top-level fields. */
export const passedResultMessage = (
  stationCode: string,
  attemptId: string,
  slot: number,
  imei: string,
  overrides: Partial<StationResultMessage> = {},
): StationResultMessage => ({
  v: 1,
  stationId: stationCode,
  bootId: 'boot-1',
  slot,
  imei,
  result: {
    v: 1,
    attemptId,
    outcome: 'passed',
    errorCode: null,
    errorName: null,
    stage: 'postflight',
    retryable: false,
    stageTimings: { preflight: 40, write: 900, postflight: 30 },
    baud: 921600,
    bytesWritten: 4096,
    revisionBefore: 'MC60CAR01A10',
    revisionAfter: 'MC60CAR01A13',
    imeiRead: imei,
    operatorHint: null,
    engineerHint: null,
    message: null,
  },
  ...overrides,
});
