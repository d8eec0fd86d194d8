// What the station's journal holds (design §9), and how a replay of it is folded into state.
import { FlashBaud, FlashStage, Imei, SlotNumber, StationResultMessage } from '@station/contracts';
import { z } from 'zod';

export const JournalStart = z.object({
  t: z.literal('start'),
  at: z.iso.datetime(),
  bootId: z.string().min(1),
  attemptId: z.string().min(1),
  slot: SlotNumber,
  imei: Imei,
  baud: FlashBaud,
});
export const JournalStage = z.object({
  t: z.literal('stage'),
  attemptId: z.string().min(1),
  stage: FlashStage,
});
export const JournalResult = z.object({
  t: z.literal('result'),
  at: z.iso.datetime(),
  message: StationResultMessage,
});
export const JournalConfirmed = z.object({
  t: z.literal('confirmed'),
  attemptId: z.string().min(1),
});
export const JournalRecord = z.discriminatedUnion('t', [
  JournalStart,
  JournalStage,
  JournalResult,
  JournalConfirmed,
]);
export type JournalRecord = z.infer<typeof JournalRecord>;

/** An attempt the journal saw start but not finish. */
export interface OpenAttempt {
  attemptId: string;
  bootId: string;
  slot: number;
  imei: string;
  baud: FlashBaud;
  stage: FlashStage;
  startedAt: string;
}

export interface JournalState {
  open: Map<string, OpenAttempt>;
  /** Results not yet confirmed by the server, in the order they were journaled. */
  unconfirmed: Map<string, StationResultMessage>;
}

export const emptyJournalState = (): JournalState => ({ open: new Map(), unconfirmed: new Map() });

/** Folds one record into the state (pure; the journal replays its file through this). */
export function applyRecord(state: JournalState, record: JournalRecord): void {
  switch (record.t) {
    case 'start':
      state.open.set(record.attemptId, {
        attemptId: record.attemptId,
        bootId: record.bootId,
        slot: record.slot,
        imei: record.imei,
        baud: record.baud,
        stage: 'queued',
        startedAt: record.at,
      });
      return;
    case 'stage': {
      const open = state.open.get(record.attemptId);
      if (open) open.stage = record.stage;
      return;
    }
    case 'result':
      state.open.delete(record.message.result.attemptId);
      state.unconfirmed.set(record.message.result.attemptId, record.message);
      return;
    case 'confirmed':
      state.open.delete(record.attemptId);
      state.unconfirmed.delete(record.attemptId);
      return;
  }
}

/** The records that rebuild `state` exactly: what a compacted journal keeps. */
export function recordsFor(state: JournalState): JournalRecord[] {
  const records: JournalRecord[] = [];
  for (const open of state.open.values()) {
    records.push({
      t: 'start',
      at: open.startedAt,
      bootId: open.bootId,
      attemptId: open.attemptId,
      slot: open.slot,
      imei: open.imei,
      baud: open.baud,
    });
    if (open.stage !== 'queued')
      records.push({ t: 'stage', attemptId: open.attemptId, stage: open.stage });
  }
  for (const message of state.unconfirmed.values())
    records.push({ t: 'result', at: new Date().toISOString(), message });
  return records;
}
