// Emulated jigs in processes of their own (`flashstation emulate`), and the station settings that
// drive them as real adapters: SERIAL_PORTS to their slot links, SLOT_POWER=jig, JIG_CONTROL to
// their control sockets. Used by the end-to-end test and scripts/bench/line-slots.ts.
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { syntheticImei, type Scenario } from '@station/emulator';
import {
  baseChildEnv,
  repoRoot,
  startProcess,
  waitFor,
  WaitAbortedError,
  type RunningProcess,
} from '@station/testkit';

const BIN = join(repoRoot, 'apps/station/bin/flashstation.mjs');
const BUNDLE = join(repoRoot, 'apps/station/dist/flashstation.mjs');

export interface ExternalJigs {
  /** The station's environment for these jigs (EMULATOR=false and the three settings above). */
  stationEnv: Record<string, string>;
  processes: RunningProcess[];
  /** SIGTERMs every jig process and waits for it. */
  dispose(): Promise<void>;
}

/** Station slots 1..slots split into `processes` contiguous groups, as even as possible. */
export function splitSlots(slots: number, processes: number): { from: number; to: number }[] {
  const count = Math.max(1, Math.min(processes, slots));
  const groups: { from: number; to: number }[] = [];
  let from = 1;
  for (let i = 0; i < count; i++) {
    const size = Math.floor(slots / count) + (i < slots % count ? 1 : 0);
    groups.push({ from, to: from + size - 1 });
    from += size;
  }
  return groups;
}

/**
 * Starts `processes` jig processes holding `slots` emulated modules between them. Station slot n
 * carries the module a one-process jig would seat in slot n (IMEI syntheticImei(100 000 + n)), so
 * a scan's label is the same whichever way the rig runs.
 */
export async function startExternalJigs(options: {
  slots: number;
  processes: number;
  dir: string;
  /** Scenario defaults for every module (e.g. `{ flashMiB: 16 }`). */
  defaults?: Scenario['defaults'];
  startTimeoutMs?: number;
  /** Run the CLI's built bundle (dist/flashstation.mjs, built by the caller), not tsx. */
  built?: boolean;
  /** Extra environment of every jig process (e.g. a CPU profiler's preload). */
  env?: Record<string, string>;
}): Promise<ExternalJigs> {
  const groups = splitSlots(options.slots, options.processes);
  const processes: RunningProcess[] = [];
  const serialPorts: string[] = [];
  const jigControl: string[] = [];
  const dispose = async () => {
    await Promise.all(processes.map((p) => p.stop().catch(() => p.kill())));
  };
  try {
    for (const [index, group] of groups.entries()) {
      const dir = join(options.dir, `jig-${index + 1}`);
      await mkdir(dir, { recursive: true });
      const size = group.to - group.from + 1;
      const scenario = join(dir, 'scenario.json');
      await writeFile(
        scenario,
        JSON.stringify({
          ...(options.defaults ? { defaults: options.defaults } : {}),
          slots: Array.from({ length: size }, (_, i) => ({
            slot: i + 1,
            imei: syntheticImei(100_000 + group.from + i),
          })),
        }),
      );
      processes.push(
        startProcess(
          `jig ${index + 1}`,
          process.execPath,
          [
            options.built ? BUNDLE : BIN,
            'emulate',
            ...['--slots', String(size), '--dir', dir, '--scenario', scenario, '--json'],
          ],
          options.env ? { env: { ...baseChildEnv(), ...options.env } } : {},
        ),
      );
    }
    // One JSON line per slot once a jig's ptys and control socket are up.
    for (const [index, group] of groups.entries()) {
      const jig = processes[index]!;
      const size = group.to - group.from + 1;
      const slotLines = await waitFor(
        `${jig.name}: ${size} slot lines`,
        () => {
          if (jig.hasExited())
            throw new WaitAbortedError(
              `${jig.name} exited before its slots were up:\n${jig.output()}`,
            );
          const found = jig.lines().filter((l) => l.startsWith('{"slot":'));
          return found.length >= size && found;
        },
        { timeoutMs: options.startTimeoutMs ?? 60_000 },
      );
      const lines = slotLines.map(
        (l) => JSON.parse(l) as { slot: number; path: string; control: string },
      );
      for (const l of lines) serialPorts.push(`${group.from + l.slot - 1}=${l.path}`);
      jigControl.push(`${group.from}-${group.to}=${lines[0]!.control}`);
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    stationEnv: {
      EMULATOR: 'false',
      SERIAL_PORTS: serialPorts.join(','),
      SLOT_POWER: 'jig',
      JIG_CONTROL: jigControl.join(','),
    },
    processes,
    dispose,
  };
}
