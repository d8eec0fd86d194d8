// attemptRepository.settle against the real Postgres: a result is stored once, and the module
// rule is applied in the same transaction (a wrong-slot scan leaves the label's module alone).
import { describe, expect, it } from 'vitest';
import { attemptRepository, moduleRepository, NotFoundError } from '../src/index';
import { uniqueImei } from '@station/testkit';
import { seedLine } from './fixtures';
import { useTestDatabase } from './test-database';

const db = useTestDatabase();

/** A module that passed once (revision A12) with a freshly opened attempt in slot 0. */
async function openAttempt() {
  const { station, slots, firmware } = await seedLine(db.prisma);
  const imei = uniqueImei();
  await db.prisma.module.create({ data: { imei } });
  const module = await moduleRepository.setStatus(db.prisma, imei, 'passed', {
    currentRevision: 'MC60CAR01A12',
  });
  const attempt = await attemptRepository.openForScan(db.prisma, {
    imei,
    stationId: station.id,
    slotId: slots[0]!.id,
    packageId: firmware.id,
  });
  return { station, slots, firmware, module, attempt, imei };
}

const FAILED_AT_WRITE = {
  outcome: 'failed',
  stageReached: 'write',
  errorCode: 3012,
  errorName: 'S_FT_DOWNLOAD_FAIL',
  errorMessage: 'write failed at 0x00120000',
  operatorHint: 'Re-seat the module and flash again.',
  engineerHint: 'The DA stopped acknowledging packets: check the adapter and the cable.',
} as const;

describe('attemptRepository.settle', () => {
  it('stores the result and its hints, and applies the module rule in the same transaction', async () => {
    const { module, attempt, imei } = await openAttempt();
    const result = await attemptRepository.settle(db.prisma, attempt.id, {
      ...FAILED_AT_WRITE,
      reportedImei: imei,
      revisionBefore: 'MC60CAR01A12',
      revisionAfter: null,
      stageTimings: { brom: 120, da_upload: 900, write: 4000 },
      bytesWritten: 1_048_576,
    });
    expect(result.settled).toBe(true);
    expect(result.attempt).toMatchObject({
      outcome: 'failed',
      stageReached: 'write',
      errorCode: 3012,
      errorName: 'S_FT_DOWNLOAD_FAIL',
      operatorHint: FAILED_AT_WRITE.operatorHint,
      engineerHint: FAILED_AT_WRITE.engineerHint,
      reportedImei: imei,
      bytesWritten: 1_048_576n,
      stageTimings: { brom: 120, da_upload: 900, write: 4000 },
    });
    expect(result.attempt.endedAt).toBeInstanceOf(Date);
    expect(result.module).toMatchObject({
      id: module.id,
      status: 'failed',
      currentRevision: 'MC60CAR01A12',
    });
    expect(await moduleRepository.findByImei(db.prisma, imei)).toEqual(result.module);
  });

  it('is idempotent by attempt id: a second delivery returns the stored result, settled=false', async () => {
    const { attempt, imei } = await openAttempt();
    const first = await attemptRepository.settle(db.prisma, attempt.id, {
      outcome: 'passed',
      stageReached: 'postflight',
      reportedImei: imei,
      revisionBefore: 'MC60CAR01A12',
      revisionAfter: 'MC60CAR01A13',
    });
    expect(first.settled).toBe(true);
    expect(first.module).toMatchObject({ status: 'passed', currentRevision: 'MC60CAR01A13' });

    // Same result again, then a different one: neither changes the attempt or the module.
    for (const input of [
      { outcome: 'passed', stageReached: 'postflight', reportedImei: imei } as const,
      { ...FAILED_AT_WRITE, reportedImei: imei, revisionAfter: 'X' },
    ]) {
      const again = await attemptRepository.settle(db.prisma, attempt.id, input);
      expect(again.settled).toBe(false);
      expect(again.attempt).toEqual(first.attempt);
      expect(again.module).toEqual(first.module);
    }
  });

  it('ten concurrent deliveries of one result: exactly one settles it', async () => {
    const { attempt, imei } = await openAttempt();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        attemptRepository.settle(db.prisma, attempt.id, {
          outcome: 'passed',
          reportedImei: imei,
          revisionAfter: `rev-${i}`,
        }),
      ),
    );
    const winners = results.filter((r) => r.settled);
    expect(winners).toHaveLength(1);
    const stored = winners[0]!;
    for (const r of results) {
      expect(r.attempt).toEqual(stored.attempt);
      expect(r.module.currentRevision).toBe(stored.attempt.revisionAfter);
    }
  });

  it('an unknown attempt id is NotFoundError', async () => {
    const missing = '00000000-0000-7000-8000-000000000001';
    const error = await attemptRepository
      .settle(db.prisma, missing, { outcome: 'passed' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ entity: 'Attempt', key: missing });
  });

  it('wrong slot: the label module is unchanged and the reported IMEI is stored', async () => {
    const { module, attempt, imei } = await openAttempt();
    const inTheSlot = uniqueImei();
    const result = await attemptRepository.settle(db.prisma, attempt.id, {
      outcome: 'failed',
      stageReached: 'preflight',
      errorName: 'FS_IMEI_MISMATCH',
      reportedImei: inTheSlot,
      revisionBefore: 'MC60CAR01A10',
      operatorHint: 'The module in this slot is not the one on the label: check the slot.',
    });
    expect(result.settled).toBe(true);
    expect(result.attempt).toMatchObject({
      outcome: 'failed',
      reportedImei: inTheSlot,
      errorName: 'FS_IMEI_MISMATCH',
      moduleId: module.id,
    });
    // Status, revision and updated_at of the label's module are exactly as before.
    expect(await moduleRepository.findByImei(db.prisma, imei)).toEqual(module);
    expect(result.module).toEqual(module);
    // And the module that answered got no row from it.
    expect(await moduleRepository.findByImei(db.prisma, inTheSlot)).toBeNull();
  });

  it('no IMEI read (no AT answer): failed, revision left as it was', async () => {
    const { attempt } = await openAttempt();
    const { module } = await attemptRepository.settle(db.prisma, attempt.id, {
      outcome: 'failed',
      stageReached: 'preflight',
      errorName: 'FS_NO_AT_RESPONSE',
      reportedImei: null,
    });
    expect(module).toMatchObject({ status: 'failed', currentRevision: 'MC60CAR01A12' });
  });

  it('interrupted: stored, module unchanged', async () => {
    const { module, attempt, imei } = await openAttempt();
    const result = await attemptRepository.settle(db.prisma, attempt.id, {
      outcome: 'interrupted',
      reportedImei: imei,
    });
    expect(result.attempt.outcome).toBe('interrupted');
    expect(result.module).toEqual(module);
  });

  it('a module quarantined while its attempt ran stays quarantined', async () => {
    const { attempt, imei } = await openAttempt();
    const quarantined = await moduleRepository.setStatus(db.prisma, imei, 'quarantined', {
      reason: 'engineer hold',
    });
    const result = await attemptRepository.settle(db.prisma, attempt.id, {
      outcome: 'passed',
      reportedImei: imei,
      revisionAfter: 'MC60CAR01A13',
    });
    expect(result.settled).toBe(true);
    expect(result.module).toEqual(quarantined);
  });

  it('an end time before the start (another clock) is stored as the start', async () => {
    const { attempt } = await openAttempt();
    const { attempt: settled } = await attemptRepository.settle(db.prisma, attempt.id, {
      outcome: 'interrupted',
      endedAt: new Date(attempt.startedAt.getTime() - 60_000),
    });
    expect(settled.endedAt).toEqual(attempt.startedAt);
  });

  it('keeps the stage reported before it when the result names none; nothing changes it after', async () => {
    const { attempt } = await openAttempt();
    expect(await attemptRepository.markStage(db.prisma, attempt.id, 'brom')).toBe(true);
    const done = await attemptRepository.settle(db.prisma, attempt.id, { outcome: 'passed' });
    expect(done.settled).toBe(true);
    expect(done.attempt).toMatchObject({ outcome: 'passed', stageReached: 'brom' });
    expect(done.attempt.endedAt).toBeInstanceOf(Date);
    // A finished attempt is never rewritten: not by another result, not by late progress.
    const again = await attemptRepository.settle(db.prisma, attempt.id, {
      outcome: 'failed',
      stageReached: 'write',
    });
    expect(again.settled).toBe(false);
    expect(await attemptRepository.markStage(db.prisma, attempt.id, 'write')).toBe(false);
    expect(await attemptRepository.findById(db.prisma, attempt.id)).toEqual(done.attempt);
  });

  it('frees the slot and the module for the next scan', async () => {
    const { station, slots, firmware, attempt, imei } = await openAttempt();
    await attemptRepository.settle(db.prisma, attempt.id, {
      outcome: 'passed',
      reportedImei: imei,
    });
    const next = await attemptRepository.openForScan(db.prisma, {
      imei,
      stationId: station.id,
      slotId: slots[0]!.id,
      packageId: firmware.id,
      // It passed with this package: flashing it again is a rework (else ALREADY_PASSED).
      rework: { actorId: null, actorLabel: 'system' },
    });
    expect(next.id).not.toBe(attempt.id);
    // The module seen before is the same row, not a second one.
    expect(next.moduleId).toBe(attempt.moduleId);
    expect(await db.prisma.module.count({ where: { imei } })).toBe(1);
  });
});
