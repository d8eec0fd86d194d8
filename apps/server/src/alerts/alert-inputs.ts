// What the alert rules look at, per station: read by the evaluator (read-alert-inputs.ts), judged
// by the pure rules (alert-rules.ts).
import type { SlotState } from '@station/contracts';

/** A window's figures as docs/analytics.md defines them; ratios null when no unit finished. */
export interface WindowFigures {
  units: number;
  firstPassYield: number | null;
  retestRate: number | null;
}

export interface SlotAlertInput {
  slot: number;
  status: SlotState;
  statusReason: string | null;
  /** False while its adapter is missing. */
  online: boolean;
  /** Units first finished in this slot over the silent window. */
  recentUnits: number;
  /** When its most recent finished attempt ended; null when it has none. */
  lastEndedAt: Date | null;
}

export interface StationAlertInput {
  stationId: string;
  /** Its heartbeat is alive. */
  connected: boolean;
  /**
   * The line state knows the station: false when it holds a credential but no agent has reported
   * for it (a PC never set up, or a credential issued to the wrong machine).
   */
  reported: boolean;
  /** Results its journal holds that the server has not confirmed stored (its heartbeat). */
  unconfirmedResults: number;
  /** First-pass yield and retest rate over the alert window. */
  window: WindowFigures;
  slots: SlotAlertInput[];
}
