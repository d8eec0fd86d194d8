// A supervisor's word on the line's judgement: release a suspect or disabled slot, disable one,
// release a quarantined module. Each changes the status only from the states it names (race-safe
// `updateMany … WHERE status`), closes the open decision with who released it, in one transaction.
import type { AttributionDecision, Module, Slot, SlotStatus } from '../generated/prisma/client';
import { runTransaction } from './transaction';
import type { PrismaClientOrTransaction } from './types';

export interface ReleaseInput {
  /** `user:<id>` or an API key's name, as in audit_events.actor_label. */
  releasedBy: string;
  releasedById: string | null;
  reason: string;
}

export interface SlotChange {
  /** The status before; the slot is unchanged when it was not one the change applies to. */
  previous: SlotStatus;
  slot: Slot;
  /** The decision this closed, if one was open. */
  released: AttributionDecision | null;
}

/** suspect or disabled → active; the open suspect decision is released. Null: no such slot. */
async function releaseSlot(
  db: PrismaClientOrTransaction,
  slotId: string,
  input: ReleaseInput,
): Promise<SlotChange | null> {
  return runTransaction(db, async (tx) => {
    const before = await tx.slot.findUnique({ where: { id: slotId } });
    if (!before) return null;
    const { count } = await tx.slot.updateMany({
      where: { id: slotId, status: { in: ['suspect', 'disabled'] } },
      data: { status: 'active', statusReason: null },
    });
    if (count === 0) return { previous: before.status, slot: before, released: null };
    const released = await closeOpen(tx, { slotId }, input);
    const slot = await tx.slot.findUniqueOrThrow({ where: { id: slotId } });
    return { previous: before.status, slot, released };
  });
}

/** active or suspect → disabled, with the supervisor's reason. Null: no such slot. */
async function disableSlot(
  db: PrismaClientOrTransaction,
  slotId: string,
  reason: string,
): Promise<SlotChange | null> {
  return runTransaction(db, async (tx) => {
    const before = await tx.slot.findUnique({ where: { id: slotId } });
    if (!before) return null;
    await tx.slot.updateMany({
      where: { id: slotId, status: { in: ['active', 'suspect'] } },
      data: { status: 'disabled', statusReason: reason },
    });
    const slot = await tx.slot.findUniqueOrThrow({ where: { id: slotId } });
    return { previous: before.status, slot, released: null };
  });
}

export interface ModuleRelease {
  previous: Module['status'];
  module: Module;
  released: AttributionDecision | null;
}

/** quarantined → failed (what it was before), the open decision released. Null: no such module. */
async function releaseModule(
  db: PrismaClientOrTransaction,
  moduleId: string,
  input: ReleaseInput,
): Promise<ModuleRelease | null> {
  return runTransaction(db, async (tx) => {
    const before = await tx.module.findUnique({ where: { id: moduleId } });
    if (!before) return null;
    const { count } = await tx.module.updateMany({
      where: { id: moduleId, status: 'quarantined' },
      data: { status: 'failed', statusReason: null },
    });
    if (count === 0) return { previous: before.status, module: before, released: null };
    const released = await closeOpen(tx, { moduleId }, input);
    const module = await tx.module.findUniqueOrThrow({ where: { id: moduleId } });
    return { previous: before.status, module, released };
  });
}

async function closeOpen(
  db: PrismaClientOrTransaction,
  subject: { slotId: string } | { moduleId: string },
  input: ReleaseInput,
): Promise<AttributionDecision | null> {
  const open = await db.attributionDecision.findFirst({ where: { ...subject, releasedAt: null } });
  if (!open) return null;
  return db.attributionDecision.update({
    where: { id: open.id },
    data: {
      releasedAt: new Date(),
      releasedBy: input.releasedBy,
      releasedById: input.releasedById,
      releaseReason: input.reason,
    },
  });
}

export const attributionReleaseRepository = { releaseSlot, disableSlot, releaseModule };
