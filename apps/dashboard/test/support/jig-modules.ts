import { join } from 'node:path';
import { repoRoot, startProcess, uniqueImei } from '@station/testkit';

const FLASHSTATION_BIN = join(repoRoot, 'apps/station/bin/flashstation.mjs');
const CLI_EXIT_MS = 60_000;

/**
 * Swaps the module in `slot` of a station's emulated jig (its folder `jigDir`) for a new one with
 * an IMEI no other test uses, as an operator would with `flashstation emulate remove|seat`: the
 * slot modules' default IMEIs are the same on every emulated jig, and a module that passed once
 * is refused (ALREADY_PASSED) on the shared server. `faults` are the CLI's `--fault` values
 * (`badSector:0x24000`, `deadPsram`, docs/emulator.md). Resolves with the new module's IMEI.
 */
export async function seatFreshModule(
  jigDir: string,
  slot: number,
  faults: readonly string[] = [],
): Promise<string> {
  const imei = uniqueImei();
  const at = ['--control', join(jigDir, 'control.sock'), '--slot', String(slot)];
  const withFaults = faults.flatMap((fault) => ['--fault', fault]);
  for (const args of [
    ['remove', ...at],
    ['seat', ...at, '--imei', imei, ...withFaults],
  ]) {
    const run = startProcess(`flashstation emulate ${args[0]}`, process.execPath, [
      FLASHSTATION_BIN,
      'emulate',
      ...args,
    ]);
    try {
      const exit = await run.waitForExit(CLI_EXIT_MS);
      if (exit.code !== 0) {
        throw new Error(`flashstation emulate ${args.join(' ')} failed: ${run.output()}`);
      }
    } finally {
      await run.release();
    }
  }
  return imei;
}
