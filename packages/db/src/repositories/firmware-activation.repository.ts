// Which package new scans flash: an append-only history per scope (a station, or the whole line
// when station_id is NULL). The newest row of a scope is its current activation; a station's own
// activation beats the line's.
import type { FirmwareActivation, FirmwarePackage } from '../generated/prisma/client';
import { runTransaction } from './transaction';
import type { PrismaClientOrTransaction } from './types';

export interface ActivateInput {
  packageId: string;
  /** The station's row id; null for the whole line. */
  stationId: string | null;
  activatedById: string | null;
  activatedByLabel: string;
}

export type ActivationWithPackage = FirmwareActivation & {
  package: FirmwarePackage;
  station: { code: string } | null;
};

const detail = { package: true, station: { select: { code: true } } } as const;
const newestFirst = [{ activatedAt: 'desc' }, { id: 'desc' }] as const;

export const firmwareActivationRepository = {
  /** Appends an activation; returns it with the scope's activation it replaces (null: none). */
  async activate(
    db: PrismaClientOrTransaction,
    input: ActivateInput,
  ): Promise<{ activation: ActivationWithPackage; previous: ActivationWithPackage | null }> {
    return runTransaction(db, async (tx) => {
      const previous = await tx.firmwareActivation.findFirst({
        where: { stationId: input.stationId },
        orderBy: [...newestFirst],
        include: detail,
      });
      const activation = await tx.firmwareActivation.create({ data: input, include: detail });
      return { activation, previous };
    });
  },

  /**
   * The activation that decides what a station flashes: its own newest one, else the line's;
   * null when neither exists. `stationCode` is the station's code (its STATION_ID).
   */
  async currentFor(
    db: PrismaClientOrTransaction,
    stationCode: string,
  ): Promise<ActivationWithPackage | null> {
    const own = await db.firmwareActivation.findFirst({
      where: { station: { code: stationCode } },
      orderBy: [...newestFirst],
      include: detail,
    });
    return (
      own ??
      db.firmwareActivation.findFirst({
        where: { stationId: null },
        orderBy: [...newestFirst],
        include: detail,
      })
    );
  },

  /** The current activation of every scope that has one (the line's, then stations' by code). */
  async currentAll(db: PrismaClientOrTransaction): Promise<ActivationWithPackage[]> {
    const rows = await db.firmwareActivation.findMany({
      distinct: ['stationId'],
      orderBy: [{ stationId: 'asc' }, ...newestFirst],
      include: detail,
    });
    return rows.sort((a, b) => (a.station?.code ?? '').localeCompare(b.station?.code ?? ''));
  },
};
