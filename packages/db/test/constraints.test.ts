// Domain constraints enforced by the database itself, proven against the real Postgres
// (a throw-away database per file). Nothing is mocked.
import { describe, expect, it } from 'vitest';
import { uniqueImei } from '@station/testkit';
import {
  attemptRepository,
  InvalidImeiError,
  ModuleBusyError,
  moduleRepository,
  SlotBusyError,
} from '../src/index';
import { openAttemptIn, seedLine } from './fixtures';
import { useTestDatabase } from './test-database';

const db = useTestDatabase();

/** The Postgres SQLSTATE carried somewhere in a Prisma/driver-adapter error. */
function sqlState(error: unknown): string | undefined {
  const text = JSON.stringify(error, Object.getOwnPropertyNames(error ?? {})) + String(error);
  return /\b(23505|23503|23514)\b/.exec(text)?.[1];
}

describe('modules', () => {
  it('rejects a second module with the same IMEI', async () => {
    const imei = uniqueImei();
    await db.prisma.module.create({ data: { imei } });
    const error = await db.prisma.module.create({ data: { imei } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'P2002' });
    expect(await db.prisma.module.count({ where: { imei } })).toBe(1);
  });

  it.each(['12345678901234', '1234567890123456', '35123456789012A', ' 35123456789012'])(
    'the CHECK constraint rejects IMEI %j written past the repository',
    async (imei) => {
      const error = await db.prisma
        .$executeRaw`INSERT INTO modules (id, imei, updated_at) VALUES (gen_random_uuid(), ${imei}, now())`.catch(
        (e: unknown) => e,
      );
      expect(String(error)).toMatch(/modules_imei_15_digits|value too long/);
    },
  );

  it('the repository rejects a malformed IMEI with a specific error', async () => {
    await expect(moduleRepository.findByImei(db.prisma, '3512')).rejects.toBeInstanceOf(
      InvalidImeiError,
    );
    await expect(moduleRepository.history(db.prisma, '3512')).rejects.toBeInstanceOf(
      InvalidImeiError,
    );
  });
});

describe('flash attempts', () => {
  it('allows one open attempt per slot, and another once the first is finished', async () => {
    const { station, slots, firmware, module } = await seedLine(db.prisma);
    const slot = slots[0]!;
    const scan = (imei: string, slotId: string, retryOfId?: string) =>
      attemptRepository.openForScan(db.prisma, {
        imei,
        stationId: station.id,
        slotId,
        packageId: firmware.id,
        ...(retryOfId ? { retryOfId } : {}),
      });

    const first = await scan(module.imei, slot.id);
    expect(first.outcome).toBe('running');
    await expect(scan(uniqueImei(), slot.id)).rejects.toBeInstanceOf(SlotBusyError);
    expect(await db.prisma.flashAttempt.count({ where: { slotId: slot.id } })).toBe(1);

    // The same module cannot be open in another slot, another module there can.
    await expect(scan(module.imei, slots[1]!.id)).rejects.toBeInstanceOf(ModuleBusyError);
    const neighbour = await scan(uniqueImei(), slots[1]!.id);
    expect(neighbour.slotId).toBe(slots[1]!.id);

    await attemptRepository.settle(db.prisma, first.id, {
      outcome: 'failed',
      errorCode: 2004,
      errorName: 'S_BROM_DOWNLOAD_DA_FAIL',
    });
    const retry = await scan(module.imei, slot.id, first.id);
    expect(retry.retryOfId).toBe(first.id);
    expect(retry.moduleId).toBe(module.id);
    expect((await openAttemptIn(db.prisma, slot.id))?.id).toBe(retry.id);
  });

  it('the partial unique index holds even for raw SQL writes', async () => {
    const { station, slots, firmware, module } = await seedLine(db.prisma);
    const insert = () => db.prisma.$executeRaw`
      INSERT INTO flash_attempts (id, module_id, station_id, slot_id, package_id)
      VALUES (gen_random_uuid(), ${module.id}::uuid, ${station.id}::uuid, ${slots[0]!.id}::uuid, ${firmware.id}::uuid)`;
    await insert();
    const error = await insert().catch((e: unknown) => e);
    expect(String(error)).toMatch(/flash_attempts_one_open_per_slot/);
  });

  it('one open attempt per module holds for raw SQL writes too', async () => {
    const { station, slots, firmware, module } = await seedLine(db.prisma);
    const insert = (slotId: string) => db.prisma.$executeRaw`
      INSERT INTO flash_attempts (id, module_id, station_id, slot_id, package_id)
      VALUES (gen_random_uuid(), ${module.id}::uuid, ${station.id}::uuid, ${slotId}::uuid, ${firmware.id}::uuid)`;
    await insert(slots[0]!.id);
    const error = await insert(slots[1]!.id).catch((e: unknown) => e);
    expect(String(error)).toMatch(/flash_attempts_one_open_per_module/);
  });

  it('an attempt cannot be ended while still "running", nor left open with an outcome', async () => {
    const { station, slots, firmware, module } = await seedLine(db.prisma);
    const attempt = await attemptRepository.openForScan(db.prisma, {
      imei: module.imei,
      stationId: station.id,
      slotId: slots[0]!.id,
      packageId: firmware.id,
    });
    const endedButRunning = await db.prisma.flashAttempt
      .update({ where: { id: attempt.id }, data: { endedAt: new Date() } })
      .catch((e: unknown) => e);
    expect(String(endedButRunning)).toMatch(/flash_attempts_open_iff_running|23514/);
    const passedButOpen = await db.prisma.flashAttempt
      .update({ where: { id: attempt.id }, data: { outcome: 'passed' } })
      .catch((e: unknown) => e);
    expect(String(passedButOpen)).toMatch(/flash_attempts_open_iff_running|23514/);
  });

  it('foreign keys reject an attempt whose module, slot or package does not exist', async () => {
    const { station, slots, firmware, module } = await seedLine(db.prisma);
    const valid = {
      moduleId: module.id,
      stationId: station.id,
      slotId: slots[1]!.id,
      packageId: firmware.id,
    };
    const missing = '00000000-0000-7000-8000-000000000000';
    for (const field of ['moduleId', 'slotId', 'packageId', 'stationId'] as const) {
      // Written past the repository (openForScan names the missing row: open-for-scan.test.ts).
      const error = await db.prisma.flashAttempt
        .create({ data: { ...valid, [field]: missing, outcome: 'running' } })
        .catch((e: unknown) => e);
      expect(error, field).toMatchObject({ code: 'P2003' });
    }
    expect(await db.prisma.flashAttempt.count({ where: { slotId: slots[1]!.id } })).toBe(0);
  });

  it('a job id names one attempt: a second attempt with it is refused', async () => {
    const { station, slots, firmware, module } = await seedLine(db.prisma);
    const other = await db.prisma.module.create({ data: { imei: uniqueImei() } });
    const jobId = `job-${uniqueImei()}`;
    const attempt = (moduleId: string, slotId: string) =>
      db.prisma.flashAttempt.create({
        data: { moduleId, slotId, stationId: station.id, packageId: firmware.id, jobId },
      });
    await attempt(module.id, slots[0]!.id);
    // Another module in another slot: only the job id is shared.
    const error = await attempt(other.id, slots[1]!.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'P2002' });
    expect(await db.prisma.flashAttempt.count({ where: { jobId } })).toBe(1);
  });

  it('a module with attempts cannot be deleted (history is kept)', async () => {
    const { station, slots, firmware, module } = await seedLine(db.prisma);
    await attemptRepository.openForScan(db.prisma, {
      imei: module.imei,
      stationId: station.id,
      slotId: slots[0]!.id,
      packageId: firmware.id,
    });
    const error = await db.prisma.module
      .delete({ where: { id: module.id } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'P2003' });
  });
});

describe('adapters and hashes', () => {
  it('a slot has at most one current adapter binding', async () => {
    const { slots } = await seedLine(db.prisma);
    const a = await db.prisma.adapter.create({
      data: { identity: `usb-serial:A-${uniqueImei()}` },
    });
    const b = await db.prisma.adapter.create({
      data: { identity: `usb-serial:B-${uniqueImei()}` },
    });
    await db.prisma.adapterBinding.create({ data: { slotId: slots[0]!.id, adapterId: a.id } });
    const error = await db.prisma.adapterBinding
      .create({ data: { slotId: slots[0]!.id, adapterId: b.id } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'P2002' });
  });

  it('a station credential is whole (key, password hash, time) or absent, in hex', async () => {
    const half = await db.prisma.station
      .create({ data: { code: 'half-credential', name: 'x', signingKey: 'a'.repeat(64) } })
      .catch((e: unknown) => e);
    expect(sqlState(half) ?? String(half)).toMatch(/23514|stations_credential_whole/);
    const upper = await db.prisma.station
      .create({
        data: {
          code: 'upper-credential',
          name: 'x',
          signingKey: 'A'.repeat(64),
          redisPasswordSha256: 'b'.repeat(64),
          credentialIssuedAt: new Date(),
        },
      })
      .catch((e: unknown) => e);
    expect(sqlState(upper) ?? String(upper)).toMatch(/23514|stations_credential_whole/);
    const whole = await db.prisma.station.create({
      data: {
        code: 'whole-credential',
        name: 'x',
        signingKey: 'a'.repeat(64),
        redisPasswordSha256: 'b'.repeat(64),
        credentialIssuedAt: new Date(),
      },
    });
    expect(whole.signingKey).toBe('a'.repeat(64));
  });

  it('firmware file hashes must be lower-case hex SHA-256', async () => {
    const { firmware } = await seedLine(db.prisma);
    const error = await db.prisma.firmwareFile
      .create({
        data: {
          packageId: firmware.id,
          kind: 'rom',
          fileName: 'ROM',
          sizeBytes: 10,
          sha256: 'X'.repeat(64),
        },
      })
      .catch((e: unknown) => e);
    expect(sqlState(error) ?? String(error)).toMatch(/23514|firmware_files_sha256_hex/);
    const ok = await db.prisma.firmwareFile.create({
      data: {
        packageId: firmware.id,
        kind: 'rom',
        fileName: 'ROM',
        sizeBytes: 10,
        sha256: 'a'.repeat(64),
      },
    });
    expect(ok.sha256).toBe('a'.repeat(64));
  });
});
