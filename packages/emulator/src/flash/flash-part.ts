// The serial NOR part a module carries: identity, geometry and the datasheet's typical erase and
// program times. A DA reports its JEDEC id and size; erase and program cost time per its timings.
import type { JedecId } from '../device/profile';

export interface FlashPartTiming {
  /** 4 KiB sector erase (opcode 20h), typical (ms). */
  sectorEraseMs: number;
  /** 64 KiB block erase (opcode D8h), typical (ms). */
  blockEraseMs: number;
  /** One 256-byte page program (opcode 02h), typical (ms). */
  pageProgramMs: number;
}

export interface FlashPart {
  name: string;
  jedec: JedecId;
  /** Bytes; a whole number of 64 KiB blocks. */
  size: number;
  timing: FlashPartTiming;
  /** Where the timing comes from (a datasheet, or "emulator default"). */
  source: string;
}

/** Uniform geometry of every 25-series part modelled here (4 KiB sectors, 64 KiB blocks). */
export const PAGE_BYTES = 256;
export const SECTOR_BYTES = 4096;
export const BLOCK_BYTES = 0x10000;
const MIB = 1024 * 1024;

/** Winbond W25QxxJV, "AC Electrical Characteristics": tPP 0.4 ms, tSE 45 ms, tBE2 150 ms (typ). */
const WINBOND_JV: FlashPartTiming = { sectorEraseMs: 45, blockEraseMs: 150, pageProgramMs: 0.4 };
const WINBOND_JV_SOURCE = 'Winbond W25QxxJV datasheet, AC electrical characteristics (typical)';

function winbond(name: string, capacity: number): FlashPart {
  return {
    name,
    jedec: [0xef, 0x40, capacity],
    size: 2 ** capacity,
    timing: WINBOND_JV,
    source: WINBOND_JV_SOURCE,
  };
}

/** Named parts with datasheet timings (JEDEC capacity byte = log2 of the size in bytes). */
export const FLASH_PARTS: Readonly<Record<string, FlashPart>> = {
  W25Q32JV: winbond('W25Q32JV', 0x16),
  W25Q64JV: winbond('W25Q64JV', 0x17),
  W25Q128JV: winbond('W25Q128JV', 0x18),
};

export const FLASH_PART_NAMES = Object.keys(FLASH_PARTS);

/** A part described field by field (scenario `flashPart` object, `--flash-part key=value,…`). */
export interface CustomFlashPart {
  name?: string;
  /** Manufacturer, memory type, capacity: "EF4018" or [0xef, 0x40, 0x18]. */
  jedec: string | readonly [number, number, number];
  sizeMiB: number;
  sectorEraseMs: number;
  blockEraseMs: number;
  pageProgramMs: number;
}

export type FlashPartSpec = string | CustomFlashPart;

export class FlashPartError extends Error {
  override name = 'FlashPartError';
}

function parseJedec(jedec: CustomFlashPart['jedec']): JedecId {
  if (typeof jedec !== 'string') return [jedec[0], jedec[1], jedec[2]];
  const hex = jedec.replace(/^0x/i, '').replace(/\s+/g, '');
  if (!/^[0-9a-f]{6}$/i.test(hex)) {
    throw new FlashPartError(
      `flash part jedec "${jedec}" is not 3 hex bytes (manufacturer, type, capacity), e.g. EF4018`,
    );
  }
  return [0, 2, 4].map((at) => parseInt(hex.slice(at, at + 2), 16)) as unknown as JedecId;
}

function customPart(spec: CustomFlashPart): FlashPart {
  const size = spec.sizeMiB * MIB;
  if (!Number.isFinite(size) || size <= 0 || size % BLOCK_BYTES !== 0) {
    throw new FlashPartError(
      `flash part size ${spec.sizeMiB} MiB is not a whole number of 64 KiB blocks`,
    );
  }
  const timing = {
    sectorEraseMs: spec.sectorEraseMs,
    blockEraseMs: spec.blockEraseMs,
    pageProgramMs: spec.pageProgramMs,
  };
  for (const [field, ms] of Object.entries(timing)) {
    if (!Number.isFinite(ms) || ms < 0)
      throw new FlashPartError(`flash part ${field} must be a non-negative number (got ${ms})`);
  }
  const jedec = parseJedec(spec.jedec);
  return { name: spec.name ?? 'custom', jedec, size, timing, source: 'custom' };
}

/** A named part (case-insensitive) or a custom one; unknown names list the known ones. */
export function resolveFlashPart(spec: FlashPartSpec): FlashPart {
  if (typeof spec !== 'string') return customPart(spec);
  const key = FLASH_PART_NAMES.find((n) => n.toLowerCase() === spec.trim().toLowerCase());
  if (key) return FLASH_PARTS[key]!;
  if (spec.includes('=')) return customPart(parseCustomSpec(spec));
  throw new FlashPartError(
    `unknown flash part "${spec}" (parts: ${FLASH_PART_NAMES.join(', ')}; or a custom part: ` +
      `jedec=EF4018,sizeMiB=16,sectorEraseMs=45,blockEraseMs=150,pageProgramMs=0.4)`,
  );
}

const CUSTOM_NUMBERS = ['sizeMiB', 'sectorEraseMs', 'blockEraseMs', 'pageProgramMs'] as const;

/** `jedec=EF4018,sizeMiB=16,sectorEraseMs=45,blockEraseMs=150,pageProgramMs=0.4[,name=X]`. */
export function parseCustomSpec(text: string): CustomFlashPart {
  const fields = new Map<string, string>();
  for (const pair of text.split(',')) {
    const [key, value] = pair.split('=').map((s) => s.trim());
    if (!key || value === undefined)
      throw new FlashPartError(`flash part field "${pair}" is not key=value`);
    fields.set(key, value);
  }
  const known = new Set<string>(['name', 'jedec', ...CUSTOM_NUMBERS]);
  for (const key of fields.keys()) {
    if (!known.has(key))
      throw new FlashPartError(
        `unknown flash part field "${key}" (fields: ${[...known].join(', ')})`,
      );
  }
  const number = (key: (typeof CUSTOM_NUMBERS)[number]): number => {
    const value = fields.get(key);
    if (value === undefined) throw new FlashPartError(`custom flash part needs ${key}=…`);
    return Number(value);
  };
  const jedec = fields.get('jedec');
  if (!jedec) throw new FlashPartError('custom flash part needs jedec=… (e.g. EF4018)');
  return {
    ...(fields.has('name') ? { name: fields.get('name')! } : {}),
    jedec,
    sizeMiB: number('sizeMiB'),
    sectorEraseMs: number('sectorEraseMs'),
    blockEraseMs: number('blockEraseMs'),
    pageProgramMs: number('pageProgramMs'),
  };
}

/**
 * What a module carries when no part is named: the MC60's GigaDevice GD25LQ family sized by
 * `flashMiB` (id `C8 60 <log2 size>`), with the emulator's quick default times (a sector erase
 * and a 4 KiB program as `ModuleTiming` says; a block costs 16 sectors), as before parts existed.
 */
export function defaultFlashPart(
  jedec: JedecId,
  size: number,
  timing: { sectorEraseMs: number; programMsPer4K: number },
): FlashPart {
  return {
    name: `GD25LQ${(size / MIB) * 8}`,
    jedec,
    size,
    timing: {
      sectorEraseMs: timing.sectorEraseMs,
      blockEraseMs: timing.sectorEraseMs * (BLOCK_BYTES / SECTOR_BYTES),
      pageProgramMs: timing.programMsPer4K / (SECTOR_BYTES / PAGE_BYTES),
    },
    source: 'emulator default (not a datasheet)',
  };
}
