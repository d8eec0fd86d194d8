// attemptRepository.openForScan against the real Postgres: a refused scan writes nothing, and 50
// concurrent scans end only in opened attempts or typed errors, never a raw Prisma error.
import { describe, expect, it } from 'vitest';
import {
  attemptRepository,
  createPrismaClient,
  firmwarePackageRepository,
  InvalidImeiError,
  ModuleAlreadyPassedError,
  ModuleBlockedError,
  ModuleBusyError,
  moduleRepository,
  NotFoundError,
  SlotBusyError,
  type FlashAttempt,
  type Prisma,
  type PrismaClient,
} from '../src/index';
import { uniqueImei } from '@station/testkit';
import { nextDigest, openAttemptIn, seedLine, uniqueName } from './fixtures';
import { useTestDatabase } from './test-database';

const db = useTestDatabase();

async function line(slotCount = 2) {
  const { station, slots, firmware } = await seedLine(db.prisma, slotCount);
  const scan = (imei: string, slot = 0, prisma: PrismaClient = db.prisma) =>
    attemptRepository.openForScan(prisma, {
      imei,
      stationId: station.id,
      slotId: slots[slot]!.id,
      packageId: firmware.id,
      adapterId: null,
      baud: 921600,
    });
  return { station, slots, firmware, scan };
}

const moduleRows = (imeis: string[]) => db.prisma.module.count({ where: { imei: { in: imeis } } });

/** Opened attempts and refusals by error class; any other error fails the test with itself. */
async function tally(calls: Promise<FlashAttempt>[]) {
  const settled = await Promise.allSettled(calls);
  const opened: FlashAttempt[] = [];
  const refused: Record<string, number> = {};
  for (const result of settled) {
    if (result.status === 'fulfilled') {
      opened.push(result.value);
      continue;
    }
    const error = result.reason as Error;
    if (!(error instanceof SlotBusyError || error instanceof ModuleBusyError)) throw error;
    refused[error.name] = (refused[error.name] ?? 0) + 1;
  }
  return { opened, refused };
}

describe('attemptRepository.openForScan', () => {
  it('creates the module on first sight and opens a running attempt whose jobId is its id', async () => {
    const { station, slots, firmware, scan } = await line();
    const imei = uniqueImei();
    const attempt = await scan(imei);
    expect(attempt).toMatchObject({
      jobId: attempt.id,
      outcome: 'running',
      stageReached: 'queued',
      endedAt: null,
      stationId: station.id,
      slotId: slots[0]!.id,
      packageId: firmware.id,
      baud: 921600,
    });
    expect(attempt.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const module = await moduleRepository.findByImei(db.prisma, imei);
    expect(module).toMatchObject({ id: attempt.moduleId, status: 'new' });
  });

  it('a module seen before keeps its row; the open module in another slot is ModuleBusyError', async () => {
    const { scan } = await line();
    const imei = uniqueImei();
    const first = await scan(imei, 0);
    const error = await scan(imei, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleBusyError);
    expect(error).toMatchObject({ code: 'MODULE_BUSY', imei });
    expect(await db.prisma.flashAttempt.count({ where: { moduleId: first.moduleId } })).toBe(1);
  });

  it('a busy slot refuses a new IMEI with SlotBusyError and writes no module row', async () => {
    const { slots, scan } = await line();
    await scan(uniqueImei(), 0);
    const refusedImei = uniqueImei();
    const error = await scan(refusedImei, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlotBusyError);
    expect(error).toMatchObject({ code: 'SLOT_BUSY', slotId: slots[0]!.id });
    expect(await moduleRows([refusedImei])).toBe(0);
  });

  it.each(['quarantined', 'scrapped'] as const)(
    'a %s module is refused with ModuleBlockedError and nothing is written',
    async (status) => {
      const { scan } = await line();
      const imei = uniqueImei();
      await db.prisma.module.create({ data: { imei } });
      const before = await moduleRepository.setStatus(db.prisma, imei, status, {
        reason: 'failed on two healthy slots',
      });
      const error = await scan(imei).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModuleBlockedError);
      expect(error).toMatchObject({
        code: 'MODULE_BLOCKED',
        imei,
        status,
        reason: 'failed on two healthy slots',
      });
      expect(await db.prisma.flashAttempt.count({ where: { moduleId: before.id } })).toBe(0);
      expect(await moduleRepository.findByImei(db.prisma, imei)).toEqual(before);
    },
  );

  it('a module whose last pass was with this package is ModuleAlreadyPassedError; a rework opens and audits it', async () => {
    const { station, slots, firmware, scan } = await line();
    const imei = uniqueImei();
    const passed = await scan(imei, 0);
    await attemptRepository.settle(db.prisma, passed.id, {
      outcome: 'passed',
      stageReached: 'postflight',
      reportedImei: imei,
      revisionAfter: firmware.revision,
    });
    const counts = async () => ({
      attempts: await db.prisma.flashAttempt.count({ where: { moduleId: passed.moduleId } }),
      reworks: await db.prisma.auditEvent.count({
        where: { action: 'flash.rework', entityId: imei },
      }),
    });
    const before = await counts();
    const error = await scan(imei, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleAlreadyPassedError);
    expect(error).toMatchObject({ code: 'ALREADY_PASSED', imei, attemptId: passed.id });
    expect(await counts()).toEqual(before);

    const label = `IMEI:${imei};SN:X1`;
    const rework = await attemptRepository.openForScan(db.prisma, {
      imei,
      stationId: station.id,
      slotId: slots[1]!.id,
      packageId: firmware.id,
      labelRaw: label,
      labelFormat: 'keyed',
      rework: { actorId: null, actorLabel: 'api-key:fsk_test', details: { slot: 2 } },
    });
    expect(rework).toMatchObject({ labelRaw: label, labelFormat: 'keyed', outcome: 'running' });
    const [event] = await db.prisma.auditEvent.findMany({
      where: { action: 'flash.rework', entityId: imei },
    });
    expect(event).toMatchObject({
      entityType: 'module',
      actorLabel: 'api-key:fsk_test',
      details: {
        slot: 2,
        imei,
        packageId: firmware.id,
        attemptId: rework.id,
        passedAttemptId: passed.id,
      },
    });
  });

  it('a module that passed with another package is flashed without a rework, and audits nothing', async () => {
    const { station, slots, firmware, scan } = await line();
    const imei = uniqueImei();
    const passed = await scan(imei, 0);
    await attemptRepository.settle(db.prisma, passed.id, {
      outcome: 'passed',
      stageReached: 'postflight',
      reportedImei: imei,
    });
    const newer = await firmwarePackageRepository.upsertFromStation(db.prisma, {
      packageId: 'MC60CAR01A13',
      digest: nextDigest(),
      revision: uniqueName('rev'),
      platform: 'MT2503',
      allowedFlashIds: ['0xEF4018'],
    });
    expect(newer.id).not.toBe(firmware.id);
    const next = await attemptRepository.openForScan(db.prisma, {
      imei,
      stationId: station.id,
      slotId: slots[0]!.id,
      packageId: newer.id,
      rework: { actorId: null, actorLabel: 'system' },
    });
    expect(next.labelRaw).toBeNull();
    expect(
      await db.prisma.auditEvent.count({ where: { action: 'flash.rework', entityId: imei } }),
    ).toBe(0);
  });

  it("never records a slot's or a module's attempts overlapping: a start taken before the previous end moves up to it", async () => {
    // A scan whose start was stamped while the slot's previous attempt was still being settled
    // (its insert waits on the one-open-per-slot index): modelled by an end later than now.
    const { scan } = await line();
    const imei = uniqueImei();
    const first = await scan(imei, 0);
    const endedAt = new Date(Date.now() + 5_000);
    await attemptRepository.settle(db.prisma, first.id, {
      outcome: 'failed',
      stageReached: 'brom',
      errorName: 'S_BROM_CMD_STARTCMD_TIMEOUT',
      endedAt,
    });
    const sameSlot = await scan(uniqueImei(), 0);
    expect(sameSlot.startedAt.getTime()).toBeGreaterThanOrEqual(endedAt.getTime());
    await attemptRepository.settle(db.prisma, sameSlot.id, {
      outcome: 'failed',
      stageReached: 'brom',
      errorName: 'S_BROM_CMD_STARTCMD_TIMEOUT',
    });
    const sameModule = await scan(imei, 1);
    expect(sameModule.startedAt.getTime()).toBeGreaterThanOrEqual(endedAt.getTime());
    const stored = await db.prisma.flashAttempt.findUniqueOrThrow({ where: { id: sameModule.id } });
    expect(stored.startedAt).toEqual(sameModule.startedAt);
  });

  it("a scan that waits for the slot's previous attempt to be settled starts at that attempt's end", async () => {
    // The real race: the settle's transaction holds the slot's open attempt while the scan's
    // insert waits on the one-open-per-slot index. The start update must see the end committed
    // after the scan began (a statement of its own, not the scan's first snapshot).
    const { scan } = await line();
    const first = await scan(uniqueImei(), 0);
    const endedAt = new Date(Date.now() + 5_000);
    let waiting: Promise<FlashAttempt> | undefined;
    await db.prisma.$transaction(async (tx) => {
      await attemptRepository.settle(tx, first.id, {
        outcome: 'failed',
        stageReached: 'brom',
        errorName: 'S_BROM_CMD_STARTCMD_TIMEOUT',
        endedAt,
      });
      waiting = scan(uniqueImei(), 0);
      // The scan is now blocked on the index entry this transaction still holds.
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    const next = await waiting!;
    expect(next.startedAt.getTime()).toBeGreaterThanOrEqual(endedAt.getTime());
    const stored = await db.prisma.flashAttempt.findUniqueOrThrow({ where: { id: next.id } });
    expect(stored.startedAt).toEqual(endedAt);
  });

  it('a slot or package that does not exist is NotFoundError, and the new IMEI leaves no row', async () => {
    const { station, slots, firmware } = await line();
    const missing = '00000000-0000-7000-8000-000000000000';
    const imei = uniqueImei();
    const base = { imei, stationId: station.id, slotId: slots[0]!.id, packageId: firmware.id };
    for (const [field, entity] of [
      ['slotId', 'Slot'],
      ['packageId', 'Firmware package'],
      ['stationId', 'Station'],
    ] as const) {
      const error = await attemptRepository
        .openForScan(db.prisma, { ...base, [field]: missing })
        .catch((e: unknown) => e);
      expect(error, field).toBeInstanceOf(NotFoundError);
      expect(error, field).toMatchObject({ entity, key: missing });
    }
    expect(await moduleRows([imei])).toBe(0);
  });

  it('a malformed IMEI is InvalidImeiError before anything is written', async () => {
    const { scan } = await line();
    await expect(scan('86135903100001')).rejects.toBeInstanceOf(InvalidImeiError);
  });

  it('inside a caller transaction: opens with it, rolls back with it, and a refusal undoes only itself', async () => {
    const { station, slots, firmware } = await line();
    const imei = uniqueImei();
    const refused = uniqueImei();
    const open = (tx: Prisma.TransactionClient, label: string) =>
      attemptRepository.openForScan(tx, {
        imei: label,
        stationId: station.id,
        slotId: slots[0]!.id,
        packageId: firmware.id,
      });
    await expect(
      db.prisma.$transaction(async (tx) => {
        const attempt = await open(tx, imei);
        await expect(open(tx, refused)).rejects.toBeInstanceOf(SlotBusyError);
        // The caller's transaction is still usable and still holds its own attempt.
        expect((await openAttemptIn(tx, slots[0]!.id))?.id).toBe(attempt.id);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await moduleRows([imei, refused])).toBe(0);
    expect(await openAttemptIn(db.prisma, slots[0]!.id)).toBeNull();
  });
});

describe('50 concurrent first-sight scans', () => {
  it('the same new IMEI on 50 slots: one attempt, 49 × ModuleBusyError, one module row', async () => {
    const { scan } = await line(50);
    const imei = uniqueImei();
    const { opened, refused } = await tally(
      Array.from({ length: 50 }, (_, slot) => scan(imei, slot)),
    );
    expect(opened).toHaveLength(1);
    expect(refused).toEqual({ ModuleBusyError: 49 });
    expect(await moduleRows([imei])).toBe(1);
    const module = await moduleRepository.findByImei(db.prisma, imei);
    expect(await db.prisma.flashAttempt.count({ where: { moduleId: module!.id } })).toBe(1);
  });

  it('50 new IMEIs on one slot: one attempt, 49 × SlotBusyError, only its module row', async () => {
    const { slots, scan } = await line(1);
    const imeis = Array.from({ length: 50 }, () => uniqueImei());
    const { opened, refused } = await tally(imeis.map((imei) => scan(imei, 0)));
    expect(opened).toHaveLength(1);
    expect(refused).toEqual({ SlotBusyError: 49 });
    expect(await moduleRows(imeis)).toBe(1);
    expect(await db.prisma.flashAttempt.count({ where: { slotId: slots[0]!.id } })).toBe(1);
  });

  it('on a 2-connection pool, 50 scans of 5 IMEIs over 10 slots keep every rule', async () => {
    const { slots, scan } = await line(10);
    const imeis = Array.from({ length: 5 }, () => uniqueImei());
    const small = createPrismaClient(db.url, { maxConnections: 2 });
    try {
      const { opened } = await tally(
        Array.from({ length: 50 }, (_, i) => scan(imeis[i % 5]!, i % 10, small)),
      );
      // At most one open attempt per IMEI and per slot, and every IMEI that was never opened left
      // no module row behind.
      const open = await db.prisma.flashAttempt.findMany({
        where: { slotId: { in: slots.map((s) => s.id) } },
        include: { module: true },
      });
      expect(open.map((a) => a.id).sort()).toEqual(opened.map((a) => a.id).sort());
      expect(new Set(open.map((a) => a.slotId)).size).toBe(open.length);
      expect(new Set(open.map((a) => a.module.imei)).size).toBe(open.length);
      expect(open.length).toBeGreaterThan(0);
      expect(await moduleRows(imeis)).toBe(open.length);
    } finally {
      await small.$disconnect();
    }
  });
});
