import type { FlashMemory } from '../flash/flash-memory';
import type { FlashPart } from '../flash/flash-part';
import type { ChipProfile, JedecId, ModuleFaults, ModuleTiming } from './profile';

export type RebootReason = 'watchdog' | 'finish' | 'brown-out' | 'brom-reboot';

/** What the firmware programs (BROM, DA, AT) may touch on their module. */
export interface DeviceContext {
  readonly chip: ChipProfile;
  readonly flashId: JedecId;
  readonly faults: ModuleFaults;
  readonly timing: ModuleTiming;
  readonly flash: FlashMemory;
  /** The part behind `flash`: its erase and program times. */
  readonly flashPart: FlashPart;
  readonly imei: string;
  /** The module's clock (ms): when a WRITE packet arrived, for the program pipeline. */
  now(): number;
  send(bytes: Uint8Array | readonly number[]): void;
  /** The UART now runs at this baud (after the DA speed switch). */
  setBaud(baud: number): void;
  /** The first start byte (A0) was answered inside the listening window: stay in the BROM. */
  handshakeStarted(): void;
  handshakeDone(): void;
  startDa(): void;
  /** The code jumped into nothing (or hung): nothing answers until power is cycled. */
  hang(why: string): void;
  reboot(reason: RebootReason, afterMs: number): void;
  /** Called by WRITE after bytes were programmed (drives the brown-out fault and events). */
  programmed(offset: number, length: number): void;
  revision(): string | null;
}
