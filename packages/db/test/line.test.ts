// lineRepository.stationLine against the real Postgres: each slot's open attempt and its most
// recent finished one, as a reloaded screen needs them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index';
import { attemptRepository, lineRepository, stationRepository } from '../src/index';
import { nextImei, seedLine } from './fixtures';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('lineRepository.stationLine', () => {
  it('gives every slot its open attempt and its last finished attempt', async () => {
    const { station, slots, firmware } = await seedLine(db.prisma, 3);
    const scan = (slot: number, imei = nextImei()) =>
      attemptRepository.openForScan(db.prisma, {
        imei,
        stationId: station.id,
        slotId: slots[slot]!.id,
        packageId: firmware.id,
      });

    // Slot 0: a failed attempt, then one running at `write`.
    const failedImei = nextImei();
    const failed = await scan(0, failedImei);
    await attemptRepository.settle(db.prisma, failed.id, {
      outcome: 'failed',
      stageReached: 'brom',
      errorCode: 2004,
      errorName: 'S_BROM_DOWNLOAD_DA_FAIL',
      operatorHint: 'Re-seat the module and flash again.',
      reportedImei: null,
    });
    const runningImei = nextImei();
    const running = await scan(0, runningImei);
    await attemptRepository.markStage(db.prisma, running.id, 'write');

    // Slot 1: two finished attempts; the later one (a label in the wrong slot) is its last.
    const earlier = await scan(1);
    await attemptRepository.settle(db.prisma, earlier.id, { outcome: 'passed' });
    const labelImei = nextImei();
    const reported = nextImei();
    const mismatch = await scan(1, labelImei);
    const settled = await attemptRepository.settle(db.prisma, mismatch.id, {
      outcome: 'failed',
      stageReached: 'preflight',
      errorName: 'FS_IMEI_MISMATCH',
      reportedImei: reported,
      revisionBefore: 'MC60CAR01A12',
      operatorHint: 'The module in this slot is not the one on the label.',
    });

    const line = await lineRepository.stationLine(db.prisma, station.code);
    expect(line).toEqual([
      {
        index: 0,
        current: {
          id: running.id,
          imei: runningImei,
          stageReached: 'write',
          startedAt: running.startedAt,
        },
        last: expect.objectContaining({
          id: failed.id,
          imei: failedImei,
          outcome: 'failed',
          errorCode: 2004,
          errorName: 'S_BROM_DOWNLOAD_DA_FAIL',
          stageReached: 'brom',
          operatorHint: 'Re-seat the module and flash again.',
          reportedImei: null,
        }),
      },
      {
        index: 1,
        current: null,
        last: {
          id: mismatch.id,
          imei: labelImei,
          outcome: 'failed',
          errorCode: null,
          errorName: 'FS_IMEI_MISMATCH',
          stageReached: 'preflight',
          operatorHint: 'The module in this slot is not the one on the label.',
          revisionBefore: 'MC60CAR01A12',
          revisionAfter: null,
          reportedImei: reported,
          startedAt: settled.attempt.startedAt,
          endedAt: settled.attempt.endedAt,
        },
      },
      { index: 2, current: null, last: null },
    ]);
  });

  it('null for a station never stored, [] for a station without slots', async () => {
    expect(await lineRepository.stationLine(db.prisma, `missing-${nextImei()}`)).toBeNull();
    const { station } = await stationRepository.upsert(db.prisma, {
      code: `empty-${nextImei().slice(-6)}`,
      name: 'No slots yet',
      slots: [],
    });
    expect(await lineRepository.stationLine(db.prisma, station.code)).toEqual([]);
  });

  it("another station's attempts never show", async () => {
    const a = await seedLine(db.prisma, 1);
    const b = await seedLine(db.prisma, 1);
    await attemptRepository.openForScan(db.prisma, {
      imei: nextImei(),
      stationId: b.station.id,
      slotId: b.slots[0]!.id,
      packageId: b.firmware.id,
    });
    expect(await lineRepository.stationLine(db.prisma, a.station.code)).toEqual([
      { index: 0, current: null, last: null },
    ]);
  });
});
