// The small line the analytics tests hand-compute their figures on: jig j1 with two slots on
// PKG-A, jig j2 with one slot on PKG-B, and the seeded operator who runs them.
import {
  firmwarePackageRepository,
  stationRepository,
  type PrismaClientOrTransaction,
} from '@station/db';
import { randomBytes } from 'node:crypto';

export type AnalyticsSlotKey = 'j1/1' | 'j1/2' | 'j2/1';

export async function seedAnalyticsLine(prisma: PrismaClientOrTransaction) {
  const jig = async (code: string, slots: number) =>
    (
      await stationRepository.upsert(prisma, {
        code,
        name: code,
        slots: Array.from({ length: slots }, (_, index) => ({
          index,
          label: `S${index + 1}`,
          powerControl: 'emulator' as const,
        })),
      })
    ).station;
  const [j1, j2] = [await jig('j1', 2), await jig('j2', 1)];
  const firmware = (name: string) =>
    firmwarePackageRepository.upsertFromStation(prisma, {
      packageId: name,
      digest: randomBytes(32).toString('hex'),
      revision: 'r1',
      platform: 'MT2503',
    });
  const [packageA, packageB] = [await firmware('PKG-A'), await firmware('PKG-B')];
  const slots = {
    'j1/1': { station: j1, slot: j1.slots[0]!, pkg: packageA },
    'j1/2': { station: j1, slot: j1.slots[1]!, pkg: packageA },
    'j2/1': { station: j2, slot: j2.slots[0]!, pkg: packageB },
  } satisfies Record<AnalyticsSlotKey, unknown>;
  const operator = await prisma.user.findUniqueOrThrow({ where: { username: 'operator' } });
  return { slots, operator };
}
