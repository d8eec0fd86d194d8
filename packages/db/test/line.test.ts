// lineRepository.stationLine against the real Postgres: each slot's open attempt and its most
// recent finished one, as a reloaded screen needs them.
import { describe, expect, it } from 'vitest';
import { attemptRepository, lineRepository, Prisma, stationRepository } from '../src/index';
import { stationLineQuery } from '../src/repositories/line.repository';
import { uniqueImei } from '@station/testkit';
import { seedLine } from './fixtures';
import { useTestDatabase } from './test-database';

const db = useTestDatabase();

describe('lineRepository.stationLine', () => {
  it('gives every slot its open attempt and its last finished attempt', async () => {
    const { station, slots, firmware } = await seedLine(db.prisma, 3);
    const scan = (slot: number, imei = uniqueImei()) =>
      attemptRepository.openForScan(db.prisma, {
        imei,
        stationId: station.id,
        slotId: slots[slot]!.id,
        packageId: firmware.id,
      });

    // Slot 0: a failed attempt, then one running at `write`.
    const failedImei = uniqueImei();
    const failed = await scan(0, failedImei);
    await attemptRepository.settle(db.prisma, failed.id, {
      outcome: 'failed',
      stageReached: 'brom',
      errorCode: 2004,
      errorName: 'S_BROM_DOWNLOAD_DA_FAIL',
      operatorHint: 'Re-seat the module and flash again.',
      reportedImei: null,
    });
    const runningImei = uniqueImei();
    const running = await scan(0, runningImei);
    await attemptRepository.markStage(db.prisma, running.id, 'write');

    // Slot 1: two finished attempts; the later one (a label in the wrong slot) is its last.
    const earlier = await scan(1);
    await attemptRepository.settle(db.prisma, earlier.id, { outcome: 'passed' });
    const labelImei = uniqueImei();
    const reported = uniqueImei();
    const mismatch = await scan(1, labelImei);
    const settled = await attemptRepository.settle(db.prisma, mismatch.id, {
      outcome: 'failed',
      stageReached: 'preflight',
      errorName: 'FS_IMEI_MISMATCH',
      reportedImei: reported,
      revisionBefore: 'MC60CAR01A12',
      operatorHint: 'The module in this slot is not the one on the label.',
    });

    // Slot 2: a failure at 921600 retried at 460800 (running), and the slot marked suspect.
    const first = await attemptRepository.openForScan(db.prisma, {
      imei: uniqueImei(),
      stationId: station.id,
      slotId: slots[2]!.id,
      packageId: firmware.id,
      baud: 921600,
    });
    await attemptRepository.settle(db.prisma, first.id, {
      outcome: 'failed',
      errorName: 'S_FT_CHANGE_BAUDRATE_FAIL',
    });
    const retry = await attemptRepository.openRetry(db.prisma, first.id, 460800);
    await db.prisma.slot.update({
      where: { id: slots[2]!.id },
      data: { status: 'suspect', statusReason: 'noisy adapter' },
    });

    const line = await lineRepository.stationLine(db.prisma, station.code);
    expect(line).toEqual([
      {
        index: 0,
        status: 'active',
        statusReason: null,
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
        status: 'active',
        statusReason: null,
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
          baud: null,
          retryOfId: null,
          retry: null,
        },
      },
      {
        index: 2,
        status: 'suspect',
        statusReason: 'noisy adapter',
        current: expect.objectContaining({ id: retry!.id }),
        last: expect.objectContaining({
          id: first.id,
          baud: 921600,
          retryOfId: null,
          retry: { id: retry!.id, baud: 460800 },
        }),
      },
    ]);
  });

  it('null for a station never stored, [] for a station without slots', async () => {
    expect(await lineRepository.stationLine(db.prisma, `missing-${uniqueImei()}`)).toBeNull();
    const { station } = await stationRepository.upsert(db.prisma, {
      code: `empty-${uniqueImei().slice(-6)}`,
      name: 'No slots yet',
      slots: [],
    });
    expect(await lineRepository.stationLine(db.prisma, station.code)).toEqual([]);
  });

  it("another station's attempts never show", async () => {
    const a = await seedLine(db.prisma, 1);
    const b = await seedLine(db.prisma, 1);
    await attemptRepository.openForScan(db.prisma, {
      imei: uniqueImei(),
      stationId: b.station.id,
      slotId: b.slots[0]!.id,
      packageId: b.firmware.id,
    });
    expect(await lineRepository.stationLine(db.prisma, a.station.code)).toEqual([
      { index: 0, status: 'active', statusReason: null, current: null, last: null },
    ]);
  });

  it('reads a few attempt rows per slot, however long the history and even for an idle slot', async () => {
    const { station, slots, firmware, module } = await seedLine(db.prisma, 8);
    // 6000 finished attempts taking turns on slots 0-5, an open one on slot 6, none ever on 7.
    await db.prisma.$executeRaw`
      INSERT INTO flash_attempts
        (id, module_id, station_id, slot_id, package_id, started_at, ended_at, outcome)
      SELECT gen_random_uuid(), ${module.id}::uuid, ${station.id}::uuid, s.id, ${firmware.id}::uuid,
             now() - n * interval '1 minute', now() - n * interval '1 minute' + interval '30 s',
             'passed'
      FROM generate_series(1, 6000) AS n
      JOIN slots s ON s.station_id = ${station.id}::uuid AND s.index = n % 6`;
    await attemptRepository.openForScan(db.prisma, {
      imei: uniqueImei(),
      stationId: station.id,
      slotId: slots[6]!.id,
      packageId: firmware.id,
    });
    await db.prisma.$executeRaw`ANALYZE flash_attempts`;

    const [explained] = await db.prisma.$queryRaw<{ 'QUERY PLAN': unknown }[]>(
      Prisma.sql`EXPLAIN (ANALYZE, FORMAT JSON) ${stationLineQuery(station.code)}`,
    );
    // Per slot its newest finished attempt (and the open one above it), plus the open attempts:
    // a few dozen rows, not thousands.
    expect(attemptRowsRead(explained!['QUERY PLAN'])).toBeLessThanOrEqual(40);
    const line = await lineRepository.stationLine(db.prisma, station.code);
    expect(
      line?.map((slot) => [slot.index, slot.current?.stageReached, slot.last?.outcome]),
    ).toEqual([
      [0, undefined, 'passed'],
      [1, undefined, 'passed'],
      [2, undefined, 'passed'],
      [3, undefined, 'passed'],
      [4, undefined, 'passed'],
      [5, undefined, 'passed'],
      [6, 'queued', undefined],
      [7, undefined, undefined],
    ]);
  });
});

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows of flash_attempts the executor looked at, over every scan node of an EXPLAIN ANALYZE. */
function attemptRowsRead(plan: unknown): number {
  const visit = (node: PlanNode): number => {
    const own =
      node['Relation Name'] === 'flash_attempts'
        ? ((node['Actual Rows'] ?? 0) +
            (node['Rows Removed by Filter'] ?? 0) +
            (node['Rows Removed by Index Recheck'] ?? 0)) *
          (node['Actual Loops'] ?? 1)
        : 0;
    return own + (node.Plans ?? []).reduce((sum, child) => sum + visit(child), 0);
  };
  const [root] = plan as { Plan: PlanNode }[];
  return visit(root!.Plan);
}
