// What is still running (Linux /proc): how a test proves nothing outlived a kill.
import { readdirSync, readFileSync } from 'node:fs';

export interface LiveProcess {
  pid: number;
  ppid: number;
  /** Process group id. */
  pgid: number;
  command: string;
}

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // gone between readdir and read
  }
}

/** Every live (not zombie) process but this one. */
export function liveProcesses(): LiveProcess[] {
  const found: LiveProcess[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const stat = readProc(pid, 'stat');
    if (!stat) continue;
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after it.
    const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z') continue;
    const command = (readProc(pid, 'cmdline') ?? '').split('\0').join(' ').trim();
    found.push({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgrp), command });
  }
  return found;
}

/** Live processes in process group `pgid`. */
export function groupMembers(pgid: number): LiveProcess[] {
  return liveProcesses().filter((p) => p.pgid === pgid);
}

/** Live processes whose command line contains `text` (say, a temp path only this test uses). */
export function processesMentioning(text: string): LiveProcess[] {
  return liveProcesses().filter((p) => p.command.includes(text));
}
