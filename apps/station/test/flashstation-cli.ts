// The flashstation CLI as an operator runs it (bin/flashstation.mjs in a child process): what
// the CLI tests drive, with its exit code and both outputs.
import { resolve } from 'node:path';
import { startProcess } from '@station/testkit';

const BIN = resolve(__dirname, '../bin/flashstation.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `flashstation ...args` to its end (at most timeoutMs) and releases the process. */
export async function runFlashstation(args: string[], timeoutMs = 25_000): Promise<CliRun> {
  const run = startProcess(`flashstation ${args.slice(0, 2).join(' ')}`, process.execPath, [
    BIN,
    ...args,
  ]);
  try {
    const { code } = await run.waitForExit(timeoutMs);
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  } finally {
    await run.release();
  }
}
