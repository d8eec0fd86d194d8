// The fault profiles as data (scenario files, the jig's control socket, `emulate seat --fault`):
// one schema for each, and one sentence for whatever is wrong with a given profile.
import { z } from 'zod';
import type { AdapterFaults, ModuleFaults } from '../device/profile';
import { isValidImei } from '../util/imei';

const Noise = z.strictObject({
  aboveBaud: z.number().int().nonnegative(),
  byteErrorRate: z.number().min(0).max(1),
  seed: z.number().int().optional(),
});

export const ModuleFaultsSchema = z.strictObject({
  noHandshake: z.enum(['powered-too-early', 'no-power']).optional(),
  noisyLine: Noise.optional(),
  deadPsram: z.boolean().optional(),
  badSector: z.number().int().nonnegative().max(0x3fffff).optional(),
  unknownFlashId: z.boolean().optional(),
  wrongChip: z.boolean().optional(),
  brownOutAfterBytes: z.number().int().positive().optional(),
  slowErase: z.union([z.boolean(), z.number().positive()]).optional(),
  imeiMismatch: z.union([z.boolean(), z.string()]).optional(),
}) satisfies z.ZodType<ModuleFaults>;

export const AdapterFaultsSchema = z.strictObject({
  noise: z
    .strictObject({
      aboveBaud: z.number().int().nonnegative().optional(),
      byteErrorRate: z.number().min(0).max(1),
      seed: z.number().int().optional(),
    })
    .optional(),
  unplugAfterDaBytes: z.number().int().positive().optional(),
}) satisfies z.ZodType<AdapterFaults>;

export const MODULE_FAULT_NAMES = Object.keys(ModuleFaultsSchema.shape) as (keyof ModuleFaults)[];

export const ImeiSchema = z
  .string()
  .refine(isValidImei, 'must be 15 digits with a valid Luhn check digit');

export const RevisionSchema = z
  .string()
  .regex(/^[A-Za-z0-9]+$/, 'letters and digits only, e.g. MC60CAR01A13');

/**
 * One sentence for a zod issue found under a module's `faults` (`where` is the field's path, e.g.
 * `faults` or `slots.0.faults`): an unknown fault names the ones that exist.
 */
export function describeFaultIssue(issue: z.core.$ZodIssue, where: string): string {
  const field = issue.path.map(String).join('.');
  const path = where ? [where, field].filter(Boolean).join('.') : `fault ${field}`;
  if (issue.code === 'unrecognized_keys' && issue.path.length === 0) {
    const unknown = issue.keys.map((k) => `"${k}"`).join(', ');
    const sentence = `unknown fault ${unknown} (faults: ${MODULE_FAULT_NAMES.join(', ')})`;
    return where ? `${where}: ${sentence}` : sentence;
  }
  return `${path}: ${issue.message}`;
}
