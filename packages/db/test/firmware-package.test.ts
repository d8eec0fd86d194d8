// firmwarePackageRepository against the real Postgres: one row per digest, recorded race-free.
import { describe, expect, it } from 'vitest';
import { firmwarePackageRepository, InvalidPackageError } from '../src/index';
import { nextDigest } from './fixtures';
import { useTestDatabase } from './test-database';

const db = useTestDatabase();

const announced = (
  changes: Partial<Parameters<typeof firmwarePackageRepository.upsertFromStation>[1]> = {},
) => ({
  packageId: 'demo-MC60CAR01A13',
  digest: nextDigest(),
  revision: 'MC60CAR01A13',
  platform: 'MT2503',
  ...changes,
});

describe('firmwarePackageRepository', () => {
  it('records a package once per digest: the same announcement returns the same row', async () => {
    const pkg = announced();
    const first = await firmwarePackageRepository.upsertFromStation(db.prisma, pkg);
    expect(first).toMatchObject({
      digest: pkg.digest,
      name: pkg.packageId,
      revision: 'MC60CAR01A13',
      platform: 'MT2503',
      allowedFlashIds: [],
    });
    expect(await firmwarePackageRepository.upsertFromStation(db.prisma, pkg)).toEqual(first);
    expect(await firmwarePackageRepository.findByDigest(db.prisma, pkg.digest)).toEqual(first);
    expect(await firmwarePackageRepository.findByDigest(db.prisma, nextDigest())).toBeNull();
  });

  it('20 stations announcing the same new package at once make one row', async () => {
    const pkg = announced();
    const rows = await Promise.all(
      Array.from({ length: 20 }, () => firmwarePackageRepository.upsertFromStation(db.prisma, pkg)),
    );
    expect(new Set(rows.map((row) => row.id)).size).toBe(1);
    expect(await db.prisma.firmwarePackage.count({ where: { digest: pkg.digest } })).toBe(1);
  });

  it('changed content in the same folder and revision is another package; the old row stays', async () => {
    const old = await firmwarePackageRepository.upsertFromStation(db.prisma, announced());
    const repacked = await firmwarePackageRepository.upsertFromStation(
      db.prisma,
      announced({ packageId: old.name, revision: old.revision }),
    );
    expect(repacked.id).not.toBe(old.id);
    expect(await firmwarePackageRepository.findByDigest(db.prisma, old.digest)).toEqual(old);
  });

  it('the same content under another folder name is the package first recorded', async () => {
    const pkg = announced({ packageId: 'line1-MC60CAR01A13' });
    const first = await firmwarePackageRepository.upsertFromStation(db.prisma, pkg);
    const copy = await firmwarePackageRepository.upsertFromStation(db.prisma, {
      ...pkg,
      packageId: 'copy-of-it',
    });
    expect(copy).toEqual(first);
  });

  it('flash ids fill a row recorded without them, and never replace recorded ones', async () => {
    const pkg = announced();
    await firmwarePackageRepository.upsertFromStation(db.prisma, pkg);
    const filled = await firmwarePackageRepository.upsertFromStation(db.prisma, {
      ...pkg,
      allowedFlashIds: ['0xEF4018'],
    });
    expect(filled.allowedFlashIds).toEqual(['0xEF4018']);
    const kept = await firmwarePackageRepository.upsertFromStation(db.prisma, {
      ...pkg,
      allowedFlashIds: ['0xC84018'],
    });
    expect(kept.allowedFlashIds).toEqual(['0xEF4018']);
  });

  it.each([
    [{ digest: 'A'.repeat(64) }, /digest .* must be 64 lower-case hex digits/],
    [{ digest: 'abc' }, /digest .* must be 64 lower-case hex digits/],
    [{ revision: '' }, /revision .* must be 1 to 200 characters/],
    [{ platform: 'P'.repeat(33) }, /platform .* must be 1 to 32 characters/],
    [{ allowedFlashIds: ['0x'.padEnd(33, '0')] }, /flash ids .* must be 1 to 32 characters/],
  ])('refuses %j with InvalidPackageError, writing nothing', async (changes, message) => {
    const pkg = announced(changes);
    const error = await firmwarePackageRepository
      .upsertFromStation(db.prisma, pkg)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPackageError);
    expect((error as Error).message).toMatch(message);
    expect(await db.prisma.firmwarePackage.count({ where: { digest: pkg.digest } })).toBe(0);
  });

  it('the CHECK constraint rejects a digest written past the repository', async () => {
    const error = await db.prisma.firmwarePackage
      .create({
        data: { digest: 'F'.repeat(64), name: 'x', revision: 'r', platform: 'MT2503' },
      })
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/firmware_packages_digest_hex|23514/);
  });
});
