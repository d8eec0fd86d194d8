// One virtual MC60: power, the BROM listening window, and which firmware answers the UART.
// Pure: bytes in through onBytes(), bytes out through the attached link, time from a Clock, kept
// as the module's own (util/module-clock.ts): every answer is timed from the event that caused it.
import { EventEmitter } from 'node:events';
import { FlashMemory } from '../flash/flash-memory';
import {
  defaultFlashPart,
  FlashPartError,
  resolveFlashPart,
  type FlashPart,
  type FlashPartSpec,
} from '../flash/flash-part';
import { inspectRom } from '../flash/rom-info';
import { buildSyntheticRom } from '../flash/synthetic-rom';
import { DEFAULT_FLASH_MIB, flashBytes, ROM_FLASH_OFFSET, type FlashMiB } from '../constants';
import { realClock, type Clock } from '../util/clock';
import { ModuleClock } from '../util/module-clock';
import { atProgram } from './at-firmware';
import { bromProgram } from './brom';
import type { DeviceContext, RebootReason } from './context';
import { daProgram } from './da';
import {
  DEFAULT_TIMING,
  gigaDeviceId,
  MT2503_MC60,
  MT6260,
  UNKNOWN_FLASH,
  type ModuleFaults,
  type ModuleTiming,
} from './profile';
import { ProgramRunner, type Program } from './program';

export type ModuleState = 'off' | 'brom' | 'da' | 'at' | 'dead';
export type ResetReason = RebootReason | 'power';

/** Where a module's UART output goes (the paced line, or a test). */
export interface ModuleLink {
  /** `at`: the module's time when it sent them (it may be ahead of this process's clock). */
  send(bytes: Uint8Array, at: number): void;
  setBaud(baud: number): void;
  /** Power loss at `at` (the module's time; default now): bytes in flight are lost. */
  drop(at?: number): void;
}

export interface VirtualModuleOptions {
  /** IMEI stored in NVRAM (what AT+GSN answers). */
  imei: string;
  /** IMEI printed on the module's label (what an operator scans); defaults to `imei`. */
  labelImei?: string;
  /** Revision of the synthetic ROM written into flash at creation; null leaves flash blank. */
  revision?: string | null;
  faults?: ModuleFaults;
  timing?: Partial<ModuleTiming>;
  clock?: Clock;
  /** Serial-flash size (default 4 MiB, the MC60's GD25LQ32); the DA reports it and its id. */
  flashMiB?: FlashMiB;
  /** A named part (`W25Q128JV`) or a custom one, with datasheet timings; instead of flashMiB. */
  flashPart?: FlashPartSpec;
}

export interface VirtualModuleEvents {
  state: [state: ModuleState, previous: ModuleState];
  handshake: [];
  reset: [reason: ResetReason];
  hang: [why: string];
  programmed: [offset: number, length: number];
  error: [error: unknown];
}

const BROWN_OUT_OFF_MS = 50;

export class VirtualModule extends EventEmitter<VirtualModuleEvents> {
  readonly flash: FlashMemory;
  readonly flashPart: FlashPart;
  readonly imei: string;
  readonly labelImei: string;
  readonly faults: ModuleFaults;
  readonly timing: ModuleTiming;
  private readonly clock: ModuleClock;
  private currentState: ModuleState = 'off';
  private runner: ProgramRunner | null = null;
  private generation = 0;
  private cancelTimers: (() => void)[] = [];
  private link: ModuleLink | null = null;
  private programmedTotal = 0;
  private brownOutDone = false;

  constructor(options: VirtualModuleOptions) {
    super();
    this.imei = options.imei;
    this.labelImei = options.labelImei ?? options.imei;
    this.faults = options.faults ?? {};
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.clock = new ModuleClock(options.clock ?? realClock);
    this.clock.onFired(() => this.runner?.pump());
    this.flashPart = chooseFlashPart(options, this.timing);
    this.flash = new FlashMemory(this.flashPart.size);
    if (options.revision) {
      this.flash.program(ROM_FLASH_OFFSET, initialRom(options.revision));
    }
  }

  get state(): ModuleState {
    return this.currentState;
  }

  /** Seats the module on a line (a jig slot); it stays powered off until powerOn(). */
  attach(link: ModuleLink): void {
    this.link = link;
  }

  /** Takes the module off its line (out of the slot): power is gone, flash keeps its contents. */
  detach(): void {
    this.powerOff();
    this.link = null;
  }

  readFlash(offset: number, length: number): Uint8Array {
    return this.flash.read(offset, length);
  }

  /** Revision parsed from the ROM image in flash right now (null: none). */
  revision(): string | null {
    return inspectRom(this.flash).revision;
  }

  /** Host bytes; `at`: when the last one arrived by the line's model (default: now). */
  onBytes(chunk: Uint8Array, at?: number): void {
    this.runner?.feed(chunk, at);
  }

  /** The slot's power relay closes (the jig acts in real time: the module's time moves to now). */
  powerOn(): void {
    this.clock.enter();
    this.switchOn();
  }

  powerOff(): void {
    this.clock.enter();
    // Cut in real time: what a module running ahead sent for later never leaves it.
    this.switchOff(this.clock.realNow());
  }

  private switchOn(): void {
    if (this.currentState !== 'off' || this.faults.noHandshake === 'no-power') return;
    this.startBrom();
  }

  private switchOff(at = this.clock.now()): void {
    this.stopAll();
    this.link?.drop(at);
    this.setState('off');
  }

  private startBrom(): void {
    this.link?.setBaud(115200);
    this.setState('brom');
    const windowMs = this.faults.noHandshake === 'powered-too-early' ? 0 : this.timing.bromWindowMs;
    if (windowMs <= 0) {
      // No window at all: the boot ROM never samples the UART. Running it until a 0 ms timer
      // fires would still answer an A0 already queued in the pty (the fault would flash fine).
      this.bootFromFlash();
      return;
    }
    this.run(bromProgram);
    const gen = this.generation;
    this.later(() => {
      if (gen === this.generation && this.currentState === 'brom') this.bootFromFlash();
    }, windowMs);
  }

  /**
   * Set once the BROM has answered a start byte: like the real boot ROM, which only samples the
   * UART for A0 during its window, it then finishes the handshake however late the rest arrives.
   */
  private handshaken = false;

  private bootFromFlash(): void {
    if (this.handshaken) return;
    this.stopProgram();
    const { bootable } = inspectRom(this.flash);
    if (!bootable) {
      this.setState('dead'); // no valid ROM: the MAUI boot goes nowhere
      return;
    }
    this.later(() => {
      this.setState('at');
      this.run(atProgram);
    }, this.timing.bootMs);
  }

  private run(program: (ctx: DeviceContext) => Program): void {
    this.stopProgram();
    const ctx = this.context(++this.generation);
    this.runner = new ProgramRunner(program(ctx), this.clock, (error) => this.fail(error));
  }

  private context(gen: number): DeviceContext {
    const live = () => gen === this.generation;
    const chip = this.faults.wrongChip ? MT6260 : MT2503_MC60;
    return {
      chip,
      flashId: this.faults.unknownFlashId ? UNKNOWN_FLASH : this.flashPart.jedec,
      faults: this.faults,
      timing: this.timing,
      flash: this.flash,
      flashPart: this.flashPart,
      now: () => this.clock.now(),
      imei: this.imei,
      send: (bytes) => {
        if (!live()) return;
        this.link?.send(
          bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes),
          this.clock.now(),
        );
      },
      setBaud: (baud) => {
        if (live()) this.link?.setBaud(baud);
      },
      handshakeStarted: () => {
        if (live()) this.handshaken = true;
      },
      handshakeDone: () => {
        if (!live()) return;
        this.handshaken = true;
        this.emit('handshake');
      },
      startDa: () => {
        if (!live()) return;
        this.setState('da');
        this.run(daProgram);
      },
      hang: (why) => {
        if (!live()) return;
        this.stopProgram();
        this.setState('dead');
        this.emit('hang', why);
      },
      reboot: (reason, afterMs) => {
        if (!live()) return;
        this.stopProgram();
        this.later(() => this.restart(reason), afterMs);
      },
      programmed: (offset, length) => {
        if (!live()) return;
        this.programmedTotal += length;
        this.emit('programmed', offset, length);
        const limit = this.faults.brownOutAfterBytes;
        if (limit !== undefined && !this.brownOutDone && this.programmedTotal >= limit) {
          this.brownOutDone = true;
          this.switchOff();
          this.emit('reset', 'brown-out');
          this.later(() => this.switchOn(), BROWN_OUT_OFF_MS);
        }
      },
      revision: () => this.revision(),
    };
  }

  private restart(reason: ResetReason): void {
    this.stopAll();
    this.emit('reset', reason);
    this.startBrom();
  }

  private fail(error: unknown): void {
    this.stopAll();
    this.setState('dead');
    this.emit('error', error);
  }

  private later(fn: () => void, ms: number): void {
    const cancel = this.clock.setTimer(() => {
      this.cancelTimers = this.cancelTimers.filter((c) => c !== cancel);
      fn();
    }, ms);
    this.cancelTimers.push(cancel);
  }

  private stopProgram(): void {
    this.runner?.stop();
    this.runner = null;
    this.generation++;
  }

  private stopAll(): void {
    this.stopProgram();
    this.handshaken = false;
    for (const cancel of this.cancelTimers) cancel();
    this.cancelTimers = [];
  }

  private setState(state: ModuleState): void {
    const previous = this.currentState;
    if (previous === state) return;
    this.currentState = state;
    this.emit('state', state, previous);
  }
}

/**
 * Every module of a jig starts with the same synthetic ROM for its revision: built once per
 * revision (flash.program copies it, so one image serves them all).
 */
const initialRoms = new Map<string, Uint8Array>();

function initialRom(revision: string): Uint8Array {
  let rom = initialRoms.get(revision);
  if (!rom) {
    rom = buildSyntheticRom({ revision });
    initialRoms.set(revision, rom);
  }
  return rom;
}

/** The named or custom part, else today's GD25LQ sized by flashMiB with the quick default times. */
function chooseFlashPart(options: VirtualModuleOptions, timing: ModuleTiming): FlashPart {
  if (options.flashPart === undefined) {
    const size = flashBytes(options.flashMiB ?? DEFAULT_FLASH_MIB);
    return defaultFlashPart(gigaDeviceId(size), size, timing);
  }
  const part = resolveFlashPart(options.flashPart);
  if (options.flashMiB !== undefined && flashBytes(options.flashMiB) !== part.size) {
    throw new FlashPartError(
      `flashMiB ${options.flashMiB} contradicts flash part ${part.name} (${part.size / 1048576} MiB): give one of them`,
    );
  }
  return part;
}
