// The latency timer of each real slot's adapter, read (and, when allowed, set) through Linux's
// sysfs: <root>/<ttyUSBn>/latency_timer, root /sys/bus/usb-serial/devices. The root is a
// parameter so tests lay out a folder like it; there is no FTDI hardware on a CI machine.
import { constants } from 'node:fs';
import { access, readFile, realpath, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  WANTED_LATENCY_MS,
  decideLatency,
  parseLatencyTimer,
  type LatencyReading,
} from './latency-timer';

export const SYSFS_USB_SERIAL = '/sys/bus/usb-serial/devices';

export async function readLatencyTimer(file: string): Promise<LatencyReading> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw error;
  }
  const ms = parseLatencyTimer(text);
  if (ms === null) return { kind: 'invalid', text };
  const writable = await access(file, constants.W_OK).then(
    () => true,
    () => false,
  );
  return { kind: 'value', ms, writable };
}

/** What happened to one slot's adapter, for the station's log. */
export type LatencyOutcome =
  | { slot: number; tty: string; status: 'ok' | 'not-ftdi'; ms?: number }
  | { slot: number; tty: string; status: 'set'; fromMs: number; ms: number }
  | { slot: number; tty: string; status: 'warn'; problem: string; ms?: number };

/**
 * Checks each online slot's adapter (`path`: its by-path link, by-id link or tty). A failure to
 * read or write one adapter's file is that slot's warning, never a refusal to start.
 */
export async function checkLatencyTimers(
  slots: readonly { slot: number; path: string; online: boolean }[],
  options: { fix: boolean; root?: string },
): Promise<LatencyOutcome[]> {
  const root = options.root ?? SYSFS_USB_SERIAL;
  const outcomes: LatencyOutcome[] = [];
  for (const { slot, path, online } of slots) {
    if (!online) continue;
    const tty = basename(await realpath(path).catch(() => path));
    const file = join(root, tty, 'latency_timer');
    try {
      const reading = await readLatencyTimer(file);
      const decision = decideLatency(reading, { fix: options.fix, file });
      const ms = reading.kind === 'value' ? reading.ms : undefined;
      if (decision.action === 'none') {
        outcomes.push({ slot, tty, status: decision.reason, ms });
      } else if (decision.action === 'warn') {
        outcomes.push({ slot, tty, status: 'warn', problem: decision.problem, ms });
      } else {
        await writeFile(file, `${WANTED_LATENCY_MS}\n`);
        const after = await readLatencyTimer(file);
        if (after.kind === 'value' && after.ms === WANTED_LATENCY_MS) {
          outcomes.push({ slot, tty, status: 'set', fromMs: decision.fromMs, ms: after.ms });
        } else {
          outcomes.push({
            slot,
            tty,
            status: 'warn',
            problem: `wrote ${WANTED_LATENCY_MS} to ${file} but it still reads ${after.kind === 'value' ? `${after.ms} ms` : after.kind}`,
            ms: after.kind === 'value' ? after.ms : undefined,
          });
        }
      }
    } catch (error) {
      outcomes.push({
        slot,
        tty,
        status: 'warn',
        problem: `${file} could not be read or written (${(error as Error).message})`,
      });
    }
  }
  return outcomes;
}
