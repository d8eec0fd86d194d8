// What a virtual module is: chip identity, flash part, timing and fault profile.

export interface ChipProfile {
  name: string;
  hwCode: number;
  hwVersion: number;
  swVersion: number;
  subCode: number;
  /** Value read with READ32 at 0xA01C0108 (family member in the upper half). */
  efuse: number;
  /** BB chip byte in the DA sync `C0 03 02 <bb>`. */
  bbChip: number;
}

/** Default virtual MC60 (shared-wire §5): MT2503 in the MT6261 family. */
export const MT2503_MC60: ChipProfile = {
  name: 'MT2503',
  hwCode: 0x6261,
  hwVersion: 0xcb01,
  swVersion: 0x0001,
  subCode: 0x8000,
  efuse: 0x36000000,
  bbChip: 0x8e,
};

/** The "wrong chip" fault: an MT6260 part (hw code 0x6260, BB chip 139). */
export const MT6260: ChipProfile = {
  name: 'MT6260',
  hwCode: 0x6260,
  hwVersion: 0xca00,
  swVersion: 0x0000,
  subCode: 0x8000,
  efuse: 0x00000000,
  bbChip: 0x8b,
};

/** JEDEC id of the serial flash: manufacturer, memory type, capacity. */
export type JedecId = readonly [number, number, number];
export const GD25LQ32: JedecId = [0xc8, 0x60, 0x16];

/** The GigaDevice GD25LQ part of this size: JEDEC capacity byte = log2(bytes) (0x16 = 4 MiB,
 * 0x18 = 16 MiB, GD25LQ128C `0x001860C8` in QFlash's list, reference §4.2). */
export function gigaDeviceId(flashSize: number): JedecId {
  const capacity = Math.log2(flashSize);
  if (!Number.isInteger(capacity))
    throw new RangeError(`flash size ${flashSize} is not a power of two: no JEDEC capacity code`);
  return [GD25LQ32[0], GD25LQ32[1], capacity];
}
/** Used by the "unknown flash" fault: an id no MC60 flash table lists. */
export const UNKNOWN_FLASH: JedecId = [0x1f, 0x86, 0x01];

export interface ModuleTiming {
  /** BROM listening window after power-on (ms). */
  bromWindowMs: number;
  /** Time from the end of the window until the AT firmware answers (ms). */
  bootMs: number;
  /** Erase time per 4 KiB sector (ms) of the default part; a named flash part has its own. */
  sectorEraseMs: number;
  /** Program time per 4 KiB written (ms) of the default part; a named flash part has its own. */
  programMsPer4K: number;
  /** The DA programs a WRITE packet before acknowledging it (default: ACK, then program while
   * the next packet arrives — flash/flash-timing.ts). For comparison benches. */
  programBeforeAck: boolean;
  /** Pause before the DA sync after JUMP_DA (ms). */
  daStartMs: number;
}

export const DEFAULT_TIMING: ModuleTiming = {
  bromWindowMs: 300,
  bootMs: 100,
  sectorEraseMs: 1,
  programMsPer4K: 0.5,
  programBeforeAck: false,
  daStartMs: 5,
};

export interface NoiseFault {
  /** Bit errors only while the line runs faster than this baud. */
  aboveBaud: number;
  /** Fraction of bytes (0..1) that get one bit flipped, in both directions. */
  byteErrorRate: number;
  /** PRNG seed so a test sees the same errors every run. */
  seed?: number;
}

/** Module faults; every field is optional and they combine. */
export interface ModuleFaults {
  /** `powered-too-early`: the window closes before the host streams; `no-power`: never powers on. */
  noHandshake?: 'powered-too-early' | 'no-power';
  noisyLine?: NoiseFault;
  /** DA upload into PSRAM fails: SEND_DA checksum is wrong and the DA never syncs. */
  deadPsram?: boolean;
  /** Flash offset of a sector that never programs: every WRITE packet into it is NACKed. */
  badSector?: number;
  /** The serial flash answers with an id no flash-table record matches. */
  unknownFlashId?: boolean;
  /** The module carries an MT6260 instead of an MT6261-family chip. */
  wrongChip?: boolean;
  /** Supply dips after this many bytes have been programmed by WRITE; the module resets once. */
  brownOutAfterBytes?: number;
  /** Multiplies erase times (a worn or cold flash); true means ×40. */
  slowErase?: boolean | number;
  /** The NVRAM IMEI differs from the label (the label IMEI stays the slot's IMEI). */
  imeiMismatch?: boolean | string;
}

/** Adapter (slot) faults: they hit whichever module sits in the slot. */
export interface AdapterFaults {
  /** Noise on the adapter's lines at any baud above `aboveBaud` (default 0 = always). */
  noise?: Partial<NoiseFault> & { byteErrorRate: number };
  /** The USB adapter disappears after this many host bytes while the module is in the DA. */
  unplugAfterDaBytes?: number;
}

export const SLOW_ERASE_FACTOR = 40;

export function eraseFactor(faults: ModuleFaults): number {
  if (faults.slowErase === true) return SLOW_ERASE_FACTOR;
  if (typeof faults.slowErase === 'number' && faults.slowErase > 0) return faults.slowErase;
  return 1;
}
