// firmwareRegistryRepository and firmwareActivationRepository against the real Postgres: an
// upload is stored once per digest (even when two race), takes over a station's announcement, and
// activations are an append-only history whose newest row per scope decides, a station's own
// beating the line's.
import { describe, expect, it } from 'vitest';
import {
  firmwareActivationRepository,
  firmwarePackageRepository,
  firmwareRegistryRepository,
  type RecordUploadInput,
} from '../src/index';
import { nextDigest, seedLine, uniqueName } from './fixtures';
import { useTestDatabase } from './test-database';

const db = useTestDatabase();

const upload = (digest = nextDigest()): RecordUploadInput => ({
  digest,
  name: 'QUECTEL_SYNTH_A',
  revision: uniqueName('rev'),
  platform: 'MT6261',
  allowedFlashIds: ['C8 60 16'],
  files: [
    { fileName: 'a.cfg', kind: 'config', sha256: nextDigest(), sizeBytes: 10 },
    { fileName: 'ROM', kind: 'rom', sha256: nextDigest(), sizeBytes: 4096, loadAddress: 1n },
  ],
  uploadedById: null,
});

describe('firmwareRegistryRepository.recordUpload', () => {
  it('stores a package once: a second upload of its digest finds it stored', async () => {
    const input = upload();
    const first = await firmwareRegistryRepository.recordUpload(db.prisma, input);
    expect(first.stored).toBe(true);
    expect(first.package.storedAt).not.toBeNull();
    expect(first.package.files.map((f) => f.fileName)).toEqual(['ROM', 'a.cfg']);

    const again = await firmwareRegistryRepository.recordUpload(db.prisma, {
      ...input,
      name: 'another-name',
      files: [{ fileName: 'other', kind: 'other', sha256: nextDigest(), sizeBytes: 1 }],
    });
    expect(again).toEqual({ package: first.package, stored: false });
  });

  it('lets exactly one of two racing uploads store the files', async () => {
    const input = upload();
    const results = await Promise.all([
      firmwareRegistryRepository.recordUpload(db.prisma, input),
      firmwareRegistryRepository.recordUpload(db.prisma, input),
    ]);
    expect(results.map((r) => r.stored).sort()).toEqual([false, true]);
    expect(
      await db.prisma.firmwareFile.count({ where: { package: { digest: input.digest } } }),
    ).toBe(2);
  });

  it("takes over a station's announcement: same row and name, now stored with flash ids", async () => {
    const input = upload();
    const announced = await firmwarePackageRepository.upsertFromStation(db.prisma, {
      packageId: 'station-folder',
      digest: input.digest,
      revision: input.revision,
      platform: input.platform,
    });
    const { package: pkg, stored } = await firmwareRegistryRepository.recordUpload(
      db.prisma,
      input,
    );
    expect(stored).toBe(true);
    expect(pkg).toMatchObject({
      id: announced.id,
      name: 'station-folder',
      allowedFlashIds: ['C8 60 16'],
    });
  });
});

describe('firmwareActivationRepository', () => {
  it("decides by the station's newest activation, else the line's newest", async () => {
    const { station } = await seedLine(db.prisma, 1);
    const { station: other } = await seedLine(db.prisma, 1);
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map(async () => {
        const { package: pkg } = await firmwareRegistryRepository.recordUpload(db.prisma, upload());
        return pkg;
      }),
    );
    const by = { activatedById: null, activatedByLabel: 'system' };
    expect(await firmwareActivationRepository.currentFor(db.prisma, station.code)).toBeNull();

    const line = await firmwareActivationRepository.activate(db.prisma, {
      packageId: a!.id,
      stationId: null,
      ...by,
    });
    expect(line.previous).toBeNull();
    expect(
      (await firmwareActivationRepository.currentFor(db.prisma, station.code))?.packageId,
    ).toBe(a!.id);

    await firmwareActivationRepository.activate(db.prisma, {
      packageId: b!.id,
      stationId: station.id,
      ...by,
    });
    const replaced = await firmwareActivationRepository.activate(db.prisma, {
      packageId: c!.id,
      stationId: station.id,
      ...by,
    });
    expect(replaced.previous?.packageId).toBe(b!.id);
    const current = await firmwareActivationRepository.currentFor(db.prisma, station.code);
    expect(current).toMatchObject({ packageId: c!.id, station: { code: station.code } });
    // The other station still follows the line.
    expect((await firmwareActivationRepository.currentFor(db.prisma, other.code))?.packageId).toBe(
      a!.id,
    );

    const all = await firmwareActivationRepository.currentAll(db.prisma);
    expect(
      all
        .filter((x) => x.station === null || x.station.code === station.code)
        .map((x) => [x.station?.code ?? null, x.packageId]),
    ).toEqual([
      [null, a!.id],
      [station.code, c!.id],
    ]);
  });

  it('keeps the history: the database refuses to change or delete an activation', async () => {
    const { package: pkg } = await firmwareRegistryRepository.recordUpload(db.prisma, upload());
    const { activation } = await firmwareActivationRepository.activate(db.prisma, {
      packageId: pkg.id,
      stationId: null,
      activatedById: null,
      activatedByLabel: 'system',
    });
    const where = { id: activation.id };
    await expect(
      db.prisma.firmwareActivation.update({ where, data: { activatedByLabel: 'someone else' } }),
    ).rejects.toThrow('firmware_activations is append-only: UPDATE is refused');
    await expect(db.prisma.firmwareActivation.delete({ where })).rejects.toThrow(
      'firmware_activations is append-only: DELETE is refused',
    );
    expect((await db.prisma.firmwareActivation.findUnique({ where }))?.activatedByLabel).toBe(
      'system',
    );
  });
});
