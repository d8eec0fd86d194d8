// Open attempts after a crash, against the real Postgres: listing them, settling them as
// interrupted at the stage they reached, and stage progress that arrives late.
import { describe, expect, it } from 'vitest';
import { attemptRepository, moduleRepository } from '../src/index';
import { uniqueImei } from '@station/testkit';
import { seedLine } from './fixtures';
import { useTestDatabase } from './test-database';

const db = useTestDatabase();

async function openTwo() {
  const { station, slots, firmware } = await seedLine(db.prisma, 3);
  const scan = (slot: number) =>
    attemptRepository.openForScan(db.prisma, {
      imei: uniqueImei(),
      stationId: station.id,
      slotId: slots[slot]!.id,
      packageId: firmware.id,
    });
  const first = await scan(0);
  const second = await scan(2);
  return { station, slots, first, second, scan };
}

describe('attemptRepository.markStage', () => {
  it('moves an open attempt forward only, and returns false instead of throwing', async () => {
    const { first } = await openTwo();
    expect(await attemptRepository.markStage(db.prisma, first.id, 'da_upload')).toBe(true);
    // Late or reordered progress cannot move it back.
    expect(await attemptRepository.markStage(db.prisma, first.id, 'brom')).toBe(false);
    expect(await attemptRepository.markStage(db.prisma, first.id, 'da_upload')).toBe(false);
    expect((await attemptRepository.findById(db.prisma, first.id))?.stageReached).toBe('da_upload');
    await attemptRepository.settle(db.prisma, first.id, { outcome: 'passed' });
    expect(await attemptRepository.markStage(db.prisma, first.id, 'postflight')).toBe(false);
    expect(
      await attemptRepository.markStage(db.prisma, '00000000-0000-7000-8000-000000000002', 'write'),
    ).toBe(false);
    expect(await attemptRepository.markStage(db.prisma, 'not-a-uuid', 'write')).toBe(false);
    expect((await attemptRepository.findById(db.prisma, first.id))?.stageReached).toBe('da_upload');
  });
});

describe('attemptRepository.listOpen', () => {
  it('lists open attempts with station code and id, slot index, IMEI and stage', async () => {
    const { station, first, second } = await openTwo();
    await attemptRepository.markStage(db.prisma, second.id, 'write');
    const open = await attemptRepository.listOpen(db.prisma, { stationCode: station.code });
    const firstImei = (await db.prisma.module.findUniqueOrThrow({ where: { id: first.moduleId } }))
      .imei;
    expect(open).toEqual([
      {
        id: first.id,
        jobId: first.id,
        stationCode: station.code,
        stationId: station.id,
        slotIndex: 0,
        imei: firstImei,
        stageReached: 'queued',
        startedAt: first.startedAt,
      },
      expect.objectContaining({ id: second.id, slotIndex: 2, stageReached: 'write' }),
    ]);
    const everywhere = await attemptRepository.listOpen(db.prisma);
    expect(everywhere.map((a) => a.id)).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(everywhere.every((a) => a.stationCode)).toBe(true);
  });
});

describe('attemptRepository.interruptOpen', () => {
  it('settles the open ones as interrupted at their stage, skips finished and unknown ids', async () => {
    const { station, first, second, scan } = await openTwo();
    await attemptRepository.markStage(db.prisma, first.id, 'write');
    const finished = await scan(1);
    const done = await attemptRepository.settle(db.prisma, finished.id, { outcome: 'passed' });
    const moduleBefore = await db.prisma.module.findUniqueOrThrow({
      where: { id: first.moduleId },
    });

    const settled = await attemptRepository.interruptOpen(db.prisma, {
      attemptIds: [first.id, second.id, finished.id, '00000000-0000-7000-8000-000000000003', 'x'],
      errorName: 'FS_STATION_RESTARTED',
      message: 'The station restarted while this flash ran.',
      operatorHint: 'Flash the module again.',
    });
    expect(settled.map((a) => [a.id, a.stageReached])).toEqual([
      [first.id, 'write'],
      [second.id, 'queued'],
    ]);
    for (const attempt of settled) {
      expect(attempt).toMatchObject({
        outcome: 'interrupted',
        errorName: 'FS_STATION_RESTARTED',
        errorMessage: 'The station restarted while this flash ran.',
        operatorHint: 'Flash the module again.',
      });
      expect(attempt.endedAt!.getTime()).toBeGreaterThanOrEqual(attempt.startedAt.getTime());
    }
    expect(await attemptRepository.findById(db.prisma, finished.id)).toEqual(done.attempt);
    expect(await moduleRepository.findByImei(db.prisma, moduleBefore.imei)).toEqual(moduleBefore);
    expect(await attemptRepository.listOpen(db.prisma, { stationCode: station.code })).toEqual([]);

    // Settling again changes nothing; the slots take new work.
    expect(
      await attemptRepository.interruptOpen(db.prisma, {
        attemptIds: [first.id],
        errorName: 'FS_STATION_RESTARTED',
        message: 'again',
      }),
    ).toEqual([]);
    await scan(0);
  });
});
