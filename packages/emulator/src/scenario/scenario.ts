// Scenario files: JSON that assigns IMEIs, revisions, fault profiles and adapter faults to the
// slots of a virtual jig (format documented in docs/emulator.md). A slot's `faults` belong to the
// module that starts in it (they travel when it is moved); its `adapterFaults` stay with the slot.
import { z } from 'zod';
import { FLASH_MIB_CHOICES } from '../constants';
import { FlashPartError, resolveFlashPart } from '../flash/flash-part';
import {
  AdapterFaultsSchema,
  describeFaultIssue,
  ImeiSchema,
  ModuleFaultsSchema,
  RevisionSchema,
} from './fault-schema';

const Timing = z.strictObject({
  bromWindowMs: z.number().nonnegative().optional(),
  bootMs: z.number().nonnegative().optional(),
  sectorEraseMs: z.number().nonnegative().optional(),
  programMsPer4K: z.number().nonnegative().optional(),
  programBeforeAck: z.boolean().optional(),
  daStartMs: z.number().nonnegative().optional(),
});

/** A part name (`W25Q128JV`) or a custom part; checked by resolving it, so errors name the field. */
const FlashPartSpecSchema = z
  .union([
    z.string(),
    z.strictObject({
      name: z.string().optional(),
      jedec: z.union([z.string(), z.tuple([z.number(), z.number(), z.number()])]),
      sizeMiB: z.number().positive(),
      sectorEraseMs: z.number().nonnegative(),
      blockEraseMs: z.number().nonnegative(),
      pageProgramMs: z.number().nonnegative(),
    }),
  ])
  .superRefine((spec, ctx) => {
    try {
      resolveFlashPart(spec);
    } catch (error) {
      if (!(error instanceof FlashPartError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  });

export const SlotConfig = z.strictObject({
  slot: z.number().int().min(1).max(999),
  /** IMEI printed on the module label (the NVRAM IMEI too, unless imeiMismatch). */
  imei: ImeiSchema.optional(),
  /** Revision of the ROM in flash at start; null = blank flash (the module is dead). */
  revision: RevisionSchema.nullable().optional(),
  /** The module's own faults: they move with it. */
  faults: ModuleFaultsSchema.optional(),
  /** The slot's adapter and line: they hit whichever module sits here. */
  adapterFaults: AdapterFaultsSchema.optional(),
  timing: Timing.optional(),
  /** Serial-flash size in MiB (4, 8 or 16; default 4, the MC60's part). */
  flashMiB: z.union(FLASH_MIB_CHOICES.map((mib) => z.literal(mib))).optional(),
  /** A flash part with datasheet timings (name or custom), instead of flashMiB. */
  flashPart: FlashPartSpecSchema.optional(),
  /** Powered when the jig starts (default true). */
  poweredAtStart: z.boolean().optional(),
  /** No module in the slot at start (seat one later through the control socket). */
  empty: z.boolean().optional(),
});
export type SlotConfig = z.infer<typeof SlotConfig>;

export const Scenario = z.strictObject({
  /** Applied to every slot unless the slot says otherwise. */
  defaults: SlotConfig.omit({ slot: true, imei: true }).optional(),
  slots: z.array(SlotConfig).default([]),
});
export type Scenario = z.infer<typeof Scenario>;

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const at = issue.path.lastIndexOf('faults');
  if (at >= 0) {
    const where = issue.path.slice(0, at + 1).join('.');
    return describeFaultIssue({ ...issue, path: issue.path.slice(at + 1) }, where);
  }
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}

/** Parses and validates a scenario (JSON text); errors name the offending field. */
export function loadScenario(text: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`scenario is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = Scenario.safeParse(raw);
  if (!parsed.success) {
    throw new ScenarioError(
      `invalid scenario: ${parsed.error.issues.map(describeIssue).join('; ')}`,
    );
  }
  const seen = new Set<number>();
  const imeis = new Map<string, number>();
  for (const slot of parsed.data.slots) {
    if (seen.has(slot.slot))
      throw new ScenarioError(`invalid scenario: slot ${slot.slot} appears twice`);
    seen.add(slot.slot);
    if (!slot.imei || slot.empty) continue;
    const other = imeis.get(slot.imei);
    if (other !== undefined) {
      throw new ScenarioError(
        `invalid scenario: IMEI ${slot.imei} is on slots ${other} and ${slot.slot} (one module sits in one slot)`,
      );
    }
    imeis.set(slot.imei, slot.slot);
  }
  return parsed.data;
}
