// A supervisor's word on the line's judgement (issue #9 §2): release a suspect or disabled slot,
// disable one, release a quarantined module. Each change, the decision it closes and its audit
// event are written in one transaction; refusals are one sentence each.
import type { DecisionRecord, SlotStatusEvent } from '@station/contracts';
import {
  attributionReleaseRepository,
  auditRepository,
  moduleRepository,
  runTransaction,
  stationRepository,
  type AttributionDecision,
  type PrismaClient,
  type SlotStatus,
} from '@station/db';
import type { Principal } from '../auth/access';
import { auditActor } from '../auth/audit-actor';
import { ConflictError, NotFoundError } from '../errors';

export class AttributionService {
  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      /** Tells the station's watchers (socket `slot:status`). */
      slotChanged: (event: SlotStatusEvent) => void;
    },
  ) {}

  /** suspect or disabled → active; the open suspect decision is released with the reason. */
  async releaseSlot(stationId: string, slot: number, principal: Principal, reason: string) {
    const slotId = await this.slotIdOf(stationId, slot);
    const actor = auditActor(principal);
    const change = await runTransaction(this.deps.prisma, async (tx) => {
      const result = await attributionReleaseRepository.releaseSlot(tx, slotId, {
        releasedBy: actor.actorLabel,
        releasedById: actor.actorId ?? null,
        reason,
      });
      if (!result || result.previous === 'active') return result;
      await auditRepository.record(tx, {
        ...actor,
        action: 'slot.release',
        entityType: 'slot',
        entityId: `${stationId}/${slot}`,
        details: {
          before: { status: result.previous },
          after: { status: 'active' },
          reason,
          ...(result.released ? { decision: result.released.id } : {}),
        },
      });
      return result;
    });
    if (!change) throw new NotFoundError(`Station ${stationId} has no slot ${slot}`);
    if (change.previous === 'active')
      throw new ConflictError(
        'SLOT_ACTIVE',
        `Slot ${slot} of station ${stationId} is already active: there is nothing to release`,
      );
    return this.announce(stationId, slot, change.slot);
  }

  /** active or suspect → disabled, with the supervisor's reason. */
  async disableSlot(stationId: string, slot: number, principal: Principal, reason: string) {
    const slotId = await this.slotIdOf(stationId, slot);
    const change = await runTransaction(this.deps.prisma, async (tx) => {
      const result = await attributionReleaseRepository.disableSlot(tx, slotId, reason);
      if (!result || result.previous === 'disabled') return result;
      await auditRepository.record(tx, {
        ...auditActor(principal),
        action: 'slot.disable',
        entityType: 'slot',
        entityId: `${stationId}/${slot}`,
        details: { before: { status: result.previous }, after: { status: 'disabled' }, reason },
      });
      return result;
    });
    if (!change) throw new NotFoundError(`Station ${stationId} has no slot ${slot}`);
    if (change.previous === 'disabled')
      throw new ConflictError(
        'SLOT_DISABLED',
        `Slot ${slot} of station ${stationId} is already disabled (${change.slot.statusReason ?? 'no reason given'})`,
      );
    return this.announce(stationId, slot, change.slot);
  }

  /** quarantined → failed, the open quarantine decision released with the reason. */
  async releaseModule(imei: string, principal: Principal, reason: string) {
    const module = await moduleRepository.findByImei(this.deps.prisma, imei);
    if (!module) throw new NotFoundError(`No module with IMEI ${imei} is known`);
    const actor = auditActor(principal);
    const change = await runTransaction(this.deps.prisma, async (tx) => {
      const result = await attributionReleaseRepository.releaseModule(tx, module.id, {
        releasedBy: actor.actorLabel,
        releasedById: actor.actorId ?? null,
        reason,
      });
      if (!result || result.previous !== 'quarantined') return result;
      await auditRepository.record(tx, {
        ...actor,
        action: 'module.release',
        entityType: 'module',
        entityId: imei,
        details: {
          before: { status: 'quarantined', statusReason: module.statusReason },
          after: { status: result.module.status },
          reason,
          ...(result.released ? { decision: result.released.id } : {}),
        },
      });
      return result;
    });
    if (!change) throw new NotFoundError(`No module with IMEI ${imei} is known`);
    if (change.previous !== 'quarantined')
      throw new ConflictError(
        'MODULE_NOT_QUARANTINED',
        `Module ${imei} is ${change.previous}, not quarantined: there is nothing to release`,
      );
    return {
      imei,
      status: change.module.status,
      statusReason: change.module.statusReason,
    };
  }

  private async slotIdOf(stationId: string, slot: number): Promise<string> {
    const station = await stationRepository.findByCode(this.deps.prisma, stationId);
    if (!station) throw new NotFoundError(`Station ${stationId} is not known`);
    const row = station.slots.find((s) => s.index === slot - 1);
    if (!row)
      throw new NotFoundError(
        `Station ${stationId} has no slot ${slot} (slots: ${station.slots.map((s) => s.index + 1).join(', ')})`,
      );
    return row.id;
  }

  private announce(
    stationId: string,
    slot: number,
    row: { status: SlotStatus; statusReason: string | null },
  ): SlotStatusEvent {
    const event: SlotStatusEvent = {
      v: 1,
      stationId,
      slot,
      status: row.status,
      statusReason: row.statusReason,
    };
    this.deps.slotChanged(event);
    return event;
  }
}

/** A decision as the API shows it, about the module `imei` or the slot it names. */
export function decisionRecord(row: AttributionDecision, imei: string): DecisionRecord {
  return {
    id: row.id,
    kind: row.kind as DecisionRecord['kind'],
    subject: imei,
    reason: row.reason,
    evidence: row.evidence,
    decidedAt: row.decidedAt.toISOString(),
    releasedAt: row.releasedAt?.toISOString() ?? null,
    releasedBy: row.releasedBy,
    releaseReason: row.releaseReason,
  };
}
