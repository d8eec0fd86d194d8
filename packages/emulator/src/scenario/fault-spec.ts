// `--fault` options as a person types them, into a module's fault profile:
//   deadPsram                      a flag fault (true)
//   badSector:0x24000              a number (decimal or 0x hex)
//   noHandshake:no-power           a word
//   noisyLine:aboveBaud=460800,byteErrorRate=0.05,seed=3   an object
// The result is checked by the same schema as scenario files and the control socket.
import type { ModuleFaults } from '../device/profile';
import { describeFaultIssue, MODULE_FAULT_NAMES, ModuleFaultsSchema } from './fault-schema';

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

/** Faults whose value is text even when it is all digits (an IMEI). */
const TEXT_FAULTS = new Set(['noHandshake', 'imeiMismatch']);

function value(text: string): number | string {
  const n = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : Number(text);
  return text !== '' && Number.isFinite(n) ? n : text;
}

function parseOne(spec: string): [string, unknown] {
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  if (!(MODULE_FAULT_NAMES as string[]).includes(name)) {
    throw new FaultSpecError(
      `unknown fault "${name}" in --fault ${spec} (faults: ${MODULE_FAULT_NAMES.join(', ')})`,
    );
  }
  if (colon < 0) return [name, true];
  const rest = spec.slice(colon + 1).trim();
  if (TEXT_FAULTS.has(name)) return [name, rest];
  if (!rest.includes('=')) return [name, value(rest)];
  const fields: Record<string, number | string> = {};
  for (const pair of rest.split(',')) {
    const [key, text, extra] = pair.split('=');
    if (!key || text === undefined || extra !== undefined) {
      throw new FaultSpecError(`--fault ${spec}: "${pair}" is not key=value`);
    }
    fields[key.trim()] = value(text.trim());
  }
  return [name, fields];
}

/** Parses every `--fault` given; throws FaultSpecError with one sentence for the first bad one. */
export function parseFaultSpecs(specs: readonly string[]): ModuleFaults {
  const raw: Record<string, unknown> = {};
  for (const spec of specs) {
    const [name, faultValue] = parseOne(spec);
    raw[name] = faultValue;
  }
  const parsed = ModuleFaultsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new FaultSpecError(describeFaultIssue(parsed.error.issues[0]!, ''));
  }
  return parsed.data;
}
