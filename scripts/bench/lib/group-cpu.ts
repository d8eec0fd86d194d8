// CPU time of a process group (a spawned app and everything it started: socat, node children),
// from /proc: where a shared 2-core machine's time went during a bench round. Linux only.
import { readdir, readFile } from 'node:fs/promises';

/** Kernel clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const TICKS_PER_S = 100;

/** Seconds of user + system CPU used so far by the live processes of each group. */
export async function groupCpuSeconds(groups: readonly number[]): Promise<number[]> {
  const totals = groups.map(() => 0);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    // Fields after the command name (which may hold spaces) in its parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const index = groups.indexOf(Number(fields[2])); // pgrp
    if (index < 0) continue;
    totals[index]! += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S; // utime + stime
  }
  return totals;
}

/** A Prometheus text exposition's first value of a metric, whatever its labels (NaN when absent). */
export function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN;
}
