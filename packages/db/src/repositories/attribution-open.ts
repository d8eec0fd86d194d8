// What waits for a supervisor's word (the yield page, issue #10 §4): slots out of rotation and
// quarantined modules, each with its open decision (reason, evidence, time) when the line made one.
import type { PrismaClientOrTransaction } from './types';

export interface OpenSlot {
  stationCode: string;
  /** 1-based, as the line shows it. */
  slotNumber: number;
  slotLabel: string;
  status: 'suspect' | 'disabled';
  reason: string | null;
  evidence: string[];
  /** The open decision's time, else when the slot last changed (a person disabled it). */
  since: Date;
}

export interface OpenModule {
  imei: string;
  reason: string | null;
  evidence: string[];
  since: Date;
}

export interface OpenDecisions {
  slots: OpenSlot[];
  modules: OpenModule[];
}

/** Longest list of each kind the page is given: a line with more has bigger problems. */
export const OPEN_DECISIONS_LIMIT = 200;

const newestFirst = <T extends { since: Date }>(rows: T[]): T[] =>
  rows.sort((a, b) => b.since.getTime() - a.since.getTime());

async function listOpen(
  db: PrismaClientOrTransaction,
  limit = OPEN_DECISIONS_LIMIT,
): Promise<OpenDecisions> {
  const openDecision = {
    where: { releasedAt: null },
    orderBy: { decidedAt: 'desc' as const },
    take: 1,
  };
  const [slots, modules] = await Promise.all([
    db.slot.findMany({
      where: { status: { in: ['suspect', 'disabled'] } },
      include: { station: { select: { code: true } }, decisions: openDecision },
      orderBy: { updatedAt: 'desc' },
      take: limit,
    }),
    db.module.findMany({
      where: { status: 'quarantined' },
      include: { decisions: openDecision },
      orderBy: { updatedAt: 'desc' },
      take: limit,
    }),
  ]);
  return {
    slots: newestFirst(
      slots.map((slot) => {
        const decision = slot.decisions[0];
        return {
          stationCode: slot.station.code,
          slotNumber: slot.index + 1,
          slotLabel: slot.label,
          status: slot.status as OpenSlot['status'],
          reason: slot.statusReason ?? decision?.reason ?? null,
          evidence: decision?.evidence ?? [],
          since: decision?.decidedAt ?? slot.updatedAt,
        };
      }),
    ),
    modules: newestFirst(
      modules.map((module) => {
        const decision = module.decisions[0];
        return {
          imei: module.imei,
          reason: module.statusReason ?? decision?.reason ?? null,
          evidence: decision?.evidence ?? [],
          since: decision?.decidedAt ?? module.updatedAt,
        };
      }),
    ),
  };
}

export const attributionOpenRepository = { listOpen };
