// Option parsing shared by the `flashstation emulate` subcommands.
import { InvalidArgumentError, type Command } from 'commander';
import { FaultSpecError, parseFaultSpecs } from '@station/emulator';

export function positiveInt(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}`);
    }
    return n;
  };
}

/** `--fault` may be given many times; each is checked as it is read. */
export function collectFault(spec: string, previous: string[] = []): string[] {
  try {
    parseFaultSpecs([spec]);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new InvalidArgumentError(error.message);
    throw error;
  }
  return [...previous, spec];
}

// `--json` after a subcommand may be claimed by the parent `emulate`, which has one too.
export function wantsJson(opts: { json: boolean }, command: Command): boolean {
  return opts.json || Boolean(command.parent?.opts().json);
}
