// Repositories against the real Postgres (a throw-away database for this file): module history,
// attempts in a caller's transaction, station/slot upsert with adapter swap history. Opening and
// settling attempts have files of their own (open-for-scan, settle, recovery); the audit log too.
import { describe, expect, it } from 'vitest';
import { uniqueImei } from '@station/testkit';
import {
  attemptRepository,
  auditRepository,
  moduleRepository,
  stationRepository,
} from '../src/index';
import { openAttemptIn, seedLine, uniqueName } from './fixtures';
import { useTestDatabase } from './test-database';

const db = useTestDatabase();

describe('moduleRepository.history', () => {
  it('lists every attempt of the module newest first, with slot, station and package', async () => {
    const { station, slots, firmware, module } = await seedLine(db.prisma);
    const base = { imei: module.imei, stationId: station.id, packageId: firmware.id };
    const first = await attemptRepository.openForScan(db.prisma, {
      ...base,
      slotId: slots[0]!.id,
    });
    await attemptRepository.settle(db.prisma, first.id, {
      outcome: 'failed',
      stageReached: 'da_upload',
      errorCode: 2004,
      errorName: 'S_BROM_DOWNLOAD_DA_FAIL',
      stageTimings: { brom: 120, da_upload: 900 },
      protocolTrace: [{ dir: 'tx', hex: 'a0' }],
    });
    const second = await attemptRepository.openForScan(db.prisma, {
      ...base,
      slotId: slots[1]!.id,
      retryOfId: first.id,
      baud: 460800,
    });
    await attemptRepository.settle(db.prisma, second.id, {
      outcome: 'passed',
      stageReached: 'postflight',
      bytesWritten: 3_145_728,
      revisionBefore: 'MC60CAR01A10',
      revisionAfter: 'MC60CAR01A12',
    });

    const history = await moduleRepository.history(db.prisma, module.imei);
    expect(history?.module.imei).toBe(module.imei);
    expect(history?.attempts.map((a) => a.id)).toEqual([second.id, first.id]);
    const [latest, earliest] = history!.attempts;
    expect(latest).toMatchObject({
      outcome: 'passed',
      retryOfId: first.id,
      baud: 460800,
      bytesWritten: 3_145_728n,
      revisionAfter: 'MC60CAR01A12',
      slot: { label: 'S2' },
      station: { code: station.code },
      package: { name: 'MC60CAR01A12' },
    });
    expect(earliest).toMatchObject({
      outcome: 'failed',
      errorCode: 2004,
      errorName: 'S_BROM_DOWNLOAD_DA_FAIL',
      stageReached: 'da_upload',
      stageTimings: { brom: 120, da_upload: 900 },
    });
    expect(earliest).not.toHaveProperty('protocolTrace');
    expect((await attemptRepository.findById(db.prisma, first.id))?.protocolTrace).toEqual([
      { dir: 'tx', hex: 'a0' },
    ]);
  });

  it('gives a module never flashed with no attempts and no decisions', async () => {
    const module = await db.prisma.module.create({
      data: { imei: uniqueImei(), status: 'quarantined', statusReason: 'label mix-up' },
    });
    expect(await moduleRepository.history(db.prisma, module.imei)).toEqual({
      module,
      attempts: [],
      decisions: [],
    });
  });

  it('returns null for an IMEI never seen', async () => {
    expect(await moduleRepository.history(db.prisma, uniqueImei())).toBeNull();
  });

  it('setStatus changes status, reason and revision', async () => {
    const module = await db.prisma.module.create({ data: { imei: uniqueImei() } });
    const updated = await moduleRepository.setStatus(db.prisma, module.imei, 'quarantined', {
      reason: 'failed on two healthy slots',
    });
    expect(updated).toMatchObject({
      status: 'quarantined',
      statusReason: 'failed on two healthy slots',
    });
  });
});

describe('attemptRepository', () => {
  it('works inside a caller transaction and rolls back with it', async () => {
    const { station, slots, firmware, module } = await seedLine(db.prisma);
    await expect(
      db.prisma.$transaction(async (tx) => {
        await attemptRepository.openForScan(tx, {
          imei: module.imei,
          stationId: station.id,
          slotId: slots[0]!.id,
          packageId: firmware.id,
        });
        await auditRepository.record(tx, {
          action: 'attempt.open',
          entityType: 'slot',
          entityId: slots[0]!.id,
          actorLabel: 'system',
        });
        expect(await openAttemptIn(tx, slots[0]!.id)).not.toBeNull();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await openAttemptIn(db.prisma, slots[0]!.id)).toBeNull();
    expect(
      await auditRepository.list(db.prisma, { entityType: 'slot', entityId: slots[0]!.id }),
    ).toEqual([]);
  });
});

describe('stationRepository', () => {
  const adapter = (id: string) => ({
    identity: `usb-serial:${id}`,
    serialNumber: id,
    vendorId: '0403',
    productId: '6001',
  });

  it('creates a station with slots and current adapters, then records swaps as history', async () => {
    const code = uniqueName('line');
    const a1 = `A1-${code}`;
    const a2 = `A2-${code}`;
    const a3 = `A3-${code}`;
    const created = await stationRepository.upsert(db.prisma, {
      code,
      name: 'Line 1 jig',
      hostname: 'jig-pc-1',
      slots: [
        { index: 0, label: 'S1', powerControl: 'dtr', adapter: adapter(a1) },
        { index: 1, label: 'S2', powerControl: 'dtr', adapter: adapter(a2) },
      ],
    });
    expect(created.station.slots.map((s) => [s.label, s.currentAdapter?.identity])).toEqual([
      ['S1', `usb-serial:${a1}`],
      ['S2', `usb-serial:${a2}`],
    ]);
    expect(created.swaps).toHaveLength(2);

    // Same report again: nothing changes.
    const again = await stationRepository.upsert(db.prisma, {
      code,
      name: 'Line 1 jig',
      slots: [
        { index: 0, label: 'S1', adapter: adapter(a1) },
        { index: 1, label: 'S2', adapter: adapter(a2) },
      ],
    });
    expect(again.swaps).toEqual([]);

    // Slot 1's adapter is replaced by a new one; then A1 reappears on slot 2 (moved).
    const s1 = created.station.slots[0]!;
    const s2 = created.station.slots[1]!;
    const swapped = await stationRepository.bindAdapter(db.prisma, s1.id, adapter(a3));
    expect(swapped.swap).toMatchObject({ slotId: s1.id, previousAdapterId: s1.currentAdapter!.id });
    const moved = await stationRepository.bindAdapter(db.prisma, s2.id, adapter(a1));
    expect(moved.swap?.previousAdapterId).toBe(s2.currentAdapter!.id);

    const history = await stationRepository.adapterHistory(db.prisma, s1.id);
    expect(history.map((b) => [b.adapter.identity, b.unboundAt === null])).toEqual([
      [`usb-serial:${a3}`, true],
      [`usb-serial:${a1}`, false],
    ]);
    const station = await stationRepository.findByCode(db.prisma, code);
    expect(station?.slots.map((s) => s.currentAdapter?.identity)).toEqual([
      `usb-serial:${a3}`,
      `usb-serial:${a1}`,
    ]);

    // Unplugged: the slot has no adapter, and the history keeps the old one.
    const unplugged = await stationRepository.bindAdapter(db.prisma, s1.id, null);
    expect(unplugged.swap).toMatchObject({ adapterId: null });
    expect(
      (await stationRepository.findById(db.prisma, created.station.id))?.slots[0]?.currentAdapter,
    ).toBeNull();
  });
});
