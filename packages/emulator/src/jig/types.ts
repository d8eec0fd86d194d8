// Types shared by the jig, its control server and its client (kept apart to avoid import cycles).
import type { AdapterFaults, ModuleFaults } from '../device/profile';
import type { ModuleState } from '../device/virtual-module';

export type PowerAction = 'on' | 'off' | 'cycle';

export interface SlotStatus {
  slot: number;
  path: string;
  /** Label IMEI of the module seated in the slot; null when the slot is empty. */
  imei: string | null;
  /** The seated module's state; `empty` when no module sits in the slot. */
  state: ModuleState | 'empty';
  plugged: boolean;
  /** The slot's power relay. */
  powered: boolean;
  revision: string | null;
  /** The seated module's own faults (they travel with it); null when the slot is empty. */
  faults: ModuleFaults | null;
  /** The slot's adapter faults (they stay with the slot). */
  adapterFaults: AdapterFaults;
}

/** A module put into a slot: its label IMEI, the revision in its flash and its own faults. */
export interface SeatRequest {
  slot: number;
  imei: string;
  /** Default MC60CAR01A10; null: blank flash (the module does not boot). */
  revision?: string | null;
  faults?: ModuleFaults;
}

/** What the control socket can do to a jig. */
export interface JigControlTarget {
  power(slot: number, action: PowerAction): Promise<void>;
  unplug(slot: number): Promise<void>;
  replug(slot: number): Promise<void>;
  seat(request: SeatRequest): void;
  move(from: number, to: number): void;
  remove(slot: number): void;
  status(): SlotStatus[];
}
