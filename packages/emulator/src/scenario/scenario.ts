// Scenario files: JSON that assigns IMEIs, revisions, fault profiles and adapter faults to the
// slots of a virtual jig (format documented in docs/emulator.md).
import { z } from 'zod';
import { isValidImei } from '../util/imei';

const Noise = z.strictObject({
  aboveBaud: z.number().int().nonnegative(),
  byteErrorRate: z.number().min(0).max(1),
  seed: z.number().int().optional(),
});

const ModuleFaults = z.strictObject({
  noHandshake: z.enum(['powered-too-early', 'no-power']).optional(),
  noisyLine: Noise.optional(),
  deadPsram: z.boolean().optional(),
  badSector: z.number().int().nonnegative().max(0x3fffff).optional(),
  unknownFlashId: z.boolean().optional(),
  wrongChip: z.boolean().optional(),
  brownOutAfterBytes: z.number().int().positive().optional(),
  slowErase: z.union([z.boolean(), z.number().positive()]).optional(),
  imeiMismatch: z.union([z.boolean(), z.string()]).optional(),
});

const AdapterFaults = z.strictObject({
  noise: z
    .strictObject({
      aboveBaud: z.number().int().nonnegative().optional(),
      byteErrorRate: z.number().min(0).max(1),
      seed: z.number().int().optional(),
    })
    .optional(),
  unplugAfterDaBytes: z.number().int().positive().optional(),
});

const Timing = z.strictObject({
  bromWindowMs: z.number().nonnegative().optional(),
  bootMs: z.number().nonnegative().optional(),
  sectorEraseMs: z.number().nonnegative().optional(),
  programMsPer4K: z.number().nonnegative().optional(),
  daStartMs: z.number().nonnegative().optional(),
});

const Imei = z.string().refine(isValidImei, 'must be 15 digits with a valid Luhn check digit');
const Revision = z.string().regex(/^[A-Za-z0-9]+$/, 'letters and digits only, e.g. MC60CAR01A13');

export const SlotConfig = z.strictObject({
  slot: z.number().int().min(1).max(999),
  /** IMEI printed on the module label (the NVRAM IMEI too, unless imeiMismatch). */
  imei: Imei.optional(),
  /** Revision of the ROM in flash at start; null = blank flash (the module is dead). */
  revision: Revision.nullable().optional(),
  faults: ModuleFaults.optional(),
  adapterFaults: AdapterFaults.optional(),
  timing: Timing.optional(),
  /** Powered when the jig starts (default true). */
  poweredAtStart: z.boolean().optional(),
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
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ScenarioError(`invalid scenario: ${issues.join('; ')}`);
  }
  const seen = new Set<number>();
  for (const slot of parsed.data.slots) {
    if (seen.has(slot.slot))
      throw new ScenarioError(`invalid scenario: slot ${slot.slot} appears twice`);
    seen.add(slot.slot);
  }
  return parsed.data;
}
