// scanTargetRepository.find against the real Postgres: what a scan reads in its one statement
// (station, the scanned slot with its adapter and status, announced packages, the activation)
// agrees with what the repositories it replaces return.
import { describe, expect, it } from 'vitest';
import {
  firmwareActivationRepository,
  firmwarePackageRepository,
  scanTargetRepository,
  stationRepository,
} from '../src/index';
import { nextDigest, seedLine, uniqueName } from './fixtures';
import { useTestDatabase } from './test-database';

const db = useTestDatabase();

const newPackage = () =>
  firmwarePackageRepository.upsertFromStation(db.prisma, {
    packageId: uniqueName('pkg'),
    digest: nextDigest(),
    revision: uniqueName('rev'),
    platform: 'MT2503',
  });

const activate = (packageId: string, stationId: string | null) =>
  firmwareActivationRepository.activate(db.prisma, {
    packageId,
    stationId,
    activatedById: null,
    activatedByLabel: 'test',
  });

describe('scanTargetRepository.find', () => {
  it('reads the scanned slot only, with its status, reason and current adapter', async () => {
    const { station, slots, firmware } = await seedLine(db.prisma, 3);
    await stationRepository.bindAdapter(db.prisma, slots[1]!.id, { identity: uniqueName('usb') });
    const moved = await stationRepository.bindAdapter(db.prisma, slots[1]!.id, {
      identity: uniqueName('usb'),
    });
    await db.prisma.slot.update({
      where: { id: slots[2]!.id },
      data: { status: 'suspect', statusReason: '3 modules failed at preflight' },
    });
    const find = (slotIndex: number) =>
      scanTargetRepository.find(db.prisma, {
        stationCode: station.code,
        slotIndex,
        digests: [firmware.digest],
      });

    expect(await find(1)).toEqual({
      stationId: station.id,
      slot: {
        id: slots[1]!.id,
        status: 'active',
        statusReason: null,
        adapterId: moved.binding!.adapterId,
      },
      packages: [
        {
          id: firmware.id,
          digest: firmware.digest,
          name: firmware.name,
          revision: firmware.revision,
          platform: 'MT2503',
          stored: false,
        },
      ],
      activated: null,
    });
    expect((await find(0)).slot).toEqual({
      id: slots[0]!.id,
      status: 'active',
      statusReason: null,
      adapterId: null,
    });
    expect((await find(2)).slot).toMatchObject({
      status: 'suspect',
      statusReason: '3 modules failed at preflight',
    });
    // A slot the station has not stored (yet): the station, no slot.
    expect(await find(3)).toMatchObject({ stationId: station.id, slot: null });
  });

  it('returns only the stored packages among the digests; nothing for an unknown station', async () => {
    const { station, firmware } = await seedLine(db.prisma, 1);
    const target = await scanTargetRepository.find(db.prisma, {
      stationCode: station.code,
      slotIndex: 0,
      digests: [nextDigest(), firmware.digest],
    });
    expect(target.packages.map((p) => p.id)).toEqual([firmware.id]);
    expect(
      await scanTargetRepository.find(db.prisma, {
        stationCode: uniqueName('gone'),
        slotIndex: 0,
        digests: [firmware.digest],
      }),
    ).toMatchObject({
      stationId: null,
      slot: null,
      packages: [{ id: firmware.id }],
    });
  });

  it("takes the station's newest own activation over the line's, else the line's newest", async () => {
    const { station } = await seedLine(db.prisma, 1);
    const [lineOld, lineNew, own] = [await newPackage(), await newPackage(), await newPackage()];
    const activated = async (stationCode: string) =>
      (await scanTargetRepository.find(db.prisma, { stationCode, slotIndex: 0, digests: [] }))
        .activated;

    await activate(lineOld.id, null);
    await activate(lineNew.id, null);
    expect(await activated(station.code)).toEqual({
      id: lineNew.id,
      digest: lineNew.digest,
      name: lineNew.name,
      revision: lineNew.revision,
      platform: 'MT2503',
      stored: false,
    });
    // An unknown station (not stored yet) flashes the line's, as currentFor says.
    expect((await activated(uniqueName('new')))?.id).toBe(lineNew.id);

    await activate(own.id, station.id);
    expect((await activated(station.code))?.id).toBe(own.id);
    // The line's activation made later does not override the station's own.
    await activate(lineOld.id, null);
    expect((await activated(station.code))?.id).toBe(own.id);
    const current = await firmwareActivationRepository.currentFor(db.prisma, station.code);
    expect(current?.package.id).toBe(own.id);
  });
});
