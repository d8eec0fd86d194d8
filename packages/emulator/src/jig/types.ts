// Types shared by the jig, its control server and its client (kept apart to avoid import cycles).
import type { ModuleState } from '../device/virtual-module';

export type PowerAction = 'on' | 'off' | 'cycle';

export interface SlotStatus {
  slot: number;
  path: string;
  imei: string;
  state: ModuleState;
  plugged: boolean;
  revision: string | null;
}

/** What the control socket can do to a jig. */
export interface JigControlTarget {
  power(slot: number, action: PowerAction): Promise<void>;
  unplug(slot: number): Promise<void>;
  replug(slot: number): Promise<void>;
  status(): SlotStatus[];
}
