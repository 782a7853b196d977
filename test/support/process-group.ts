import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc/<pid>/stat describes it. */
export interface ProcEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** R, S, D, Z (a zombie: exited, not yet reaped), … */
  readonly state: string;
  readonly command: string;
}

/** The process `pid`, or undefined once it is gone (Linux: read from /proc). */
export function procEntry(pid: number): ProcEntry | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
  const close = stat.lastIndexOf(')');
  const [state = '?', ppid = '0', pgid = '0'] = stat.slice(close + 2).split(' ');
  return { pid, ppid: Number(ppid), pgid: Number(pgid), state, command: stat.slice(stat.indexOf('(') + 1, close) };
}

/** Every process of process group `pgid`, zombies included (those left to init have exited unreaped). */
export function processesInGroup(pgid: number): ProcEntry[] {
  const found: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const entry = procEntry(Number(name));
    if (entry?.pgid === pgid) found.push(entry);
  }
  return found;
}
