// Stations, their slots, and which adapter serves each slot. Adapters are known by stable
// identity; binding a different adapter to a slot closes the old binding (swap history) and,
// if the adapter came from another slot, closes that binding too.
import type {
  Adapter,
  AdapterBinding,
  PowerControl,
  Prisma,
  Slot,
  Station,
} from '../generated/prisma/client';
import { NotFoundError } from '../errors';
import { runTransaction } from './transaction';
import type { PrismaClientOrTransaction } from './types';

export interface AdapterIdentityInput {
  /** Stable identity, e.g. `usb-serial:A10K4XYZ` or `usb-path:pci-0000:00:14.0-usb-0:2:1.0`. */
  identity: string;
  serialNumber?: string | null;
  usbPath?: string | null;
  vendorId?: string | null;
  productId?: string | null;
  description?: string | null;
}

export interface SlotInput {
  index: number;
  label: string;
  powerControl?: PowerControl;
  /** The adapter seen on this slot now; `null` = none attached; omitted = leave as is. */
  adapter?: AdapterIdentityInput | null;
}

export interface UpsertStationInput {
  code: string;
  /** Used when the station is new; an existing station keeps the name an admin gave it. */
  name: string;
  hostname?: string | null;
  slots: SlotInput[];
}

export interface AdapterSwap {
  slotId: string;
  previousAdapterId: string | null;
  adapterId: string | null;
}

export interface BindResult {
  binding: AdapterBinding | null;
  swap: AdapterSwap | null;
}

export type StationWithSlots = Station & { slots: (Slot & { currentAdapter: Adapter | null })[] };

export const stationRepository = {
  /**
   * Creates or updates a station and its slots (by index) and records the adapter seen on each
   * slot. Slots not listed are left alone. Returns the station and every adapter swap it saw.
   */
  async upsert(
    db: PrismaClientOrTransaction,
    input: UpsertStationInput,
  ): Promise<{ station: StationWithSlots; swaps: AdapterSwap[] }> {
    return runTransaction(db, async (tx) => {
      const station = await tx.station.upsert({
        where: { code: input.code },
        create: {
          code: input.code,
          name: input.name,
          hostname: input.hostname ?? null,
          lastSeenAt: new Date(),
        },
        update: { hostname: input.hostname ?? null, lastSeenAt: new Date() },
      });
      const swaps: AdapterSwap[] = [];
      for (const slotInput of input.slots) {
        const slot = await tx.slot.upsert({
          where: { stationId_index: { stationId: station.id, index: slotInput.index } },
          create: {
            stationId: station.id,
            index: slotInput.index,
            label: slotInput.label,
            powerControl: slotInput.powerControl ?? 'manual',
          },
          update: {
            label: slotInput.label,
            ...(slotInput.powerControl ? { powerControl: slotInput.powerControl } : {}),
          },
        });
        if (slotInput.adapter === undefined) continue;
        const { swap } = await bindInTransaction(tx, slot.id, slotInput.adapter);
        if (swap) swaps.push(swap);
      }
      const full = await findStation(tx, { code: input.code });
      if (!full) throw new NotFoundError('Station', input.code);
      return { station: full, swaps };
    });
  },

  /** Records the adapter now on a slot (or none). A change closes the old binding. */
  async bindAdapter(
    db: PrismaClientOrTransaction,
    slotId: string,
    adapter: AdapterIdentityInput | null,
  ): Promise<BindResult> {
    return runTransaction(db, (tx) => bindInTransaction(tx, slotId, adapter));
  },

  async findByCode(db: PrismaClientOrTransaction, code: string): Promise<StationWithSlots | null> {
    return findStation(db, { code });
  },

  async findById(db: PrismaClientOrTransaction, id: string): Promise<StationWithSlots | null> {
    return findStation(db, { id });
  },

  /** Every adapter a slot has had, newest binding first. */
  async adapterHistory(
    db: PrismaClientOrTransaction,
    slotId: string,
  ): Promise<(AdapterBinding & { adapter: Adapter })[]> {
    return db.adapterBinding.findMany({
      where: { slotId },
      orderBy: [{ boundAt: 'desc' }, { id: 'desc' }],
      include: { adapter: true },
    });
  },
};

async function bindInTransaction(
  tx: Prisma.TransactionClient,
  slotId: string,
  input: AdapterIdentityInput | null,
): Promise<BindResult> {
  const now = new Date();
  const current = await tx.adapterBinding.findFirst({ where: { slotId, unboundAt: null } });
  if (input === null) {
    if (!current) return { binding: null, swap: null };
    await tx.adapterBinding.update({ where: { id: current.id }, data: { unboundAt: now } });
    return {
      binding: null,
      swap: { slotId, previousAdapterId: current.adapterId, adapterId: null },
    };
  }
  const { identity, ...details } = input;
  const adapter = await tx.adapter.upsert({
    where: { identity },
    create: { identity, ...details, lastSeenAt: now },
    update: { ...details, lastSeenAt: now },
  });
  if (current?.adapterId === adapter.id) return { binding: current, swap: null };
  // Close this slot's binding and the adapter's binding elsewhere (it was moved), then bind.
  await tx.adapterBinding.updateMany({
    where: { unboundAt: null, OR: [{ slotId }, { adapterId: adapter.id }] },
    data: { unboundAt: now },
  });
  const binding = await tx.adapterBinding.create({
    data: { slotId, adapterId: adapter.id, boundAt: now },
  });
  return {
    binding,
    swap: { slotId, previousAdapterId: current?.adapterId ?? null, adapterId: adapter.id },
  };
}

async function findStation(
  db: PrismaClientOrTransaction,
  where: { id: string } | { code: string },
): Promise<StationWithSlots | null> {
  const station = await db.station.findUnique({
    where,
    include: {
      slots: {
        orderBy: { index: 'asc' },
        include: { bindings: { where: { unboundAt: null }, include: { adapter: true } } },
      },
    },
  });
  if (!station) return null;
  const slots = station.slots.map(({ bindings, ...slot }) => ({
    ...slot,
    currentAdapter: bindings[0]?.adapter ?? null,
  }));
  return { ...station, slots };
}
