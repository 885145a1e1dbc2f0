/** Resident memory (VmRSS) and its high-water mark (VmHWM) of a process and every process below it, from /proc. */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

type Status = { ppid: number; rssKb: number; peakKb: number };

function read(pid: number): Status | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
    return { ppid: field("PPid"), rssKb: field("VmRSS"), peakKb: field("VmHWM") };
  } catch {
    return null; // gone
  }
}

function tree(pid: number): (Status & { pid: number })[] {
  const all = new Map<number, Status>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const process = read(Number(name));
    if (process) all.set(Number(name), process);
  }
  const pids = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [child, { ppid }] of all) {
      if (!pids.has(child) && pids.has(ppid)) grew = Boolean(pids.add(child));
    }
  }
  return [...pids].flatMap((p) => (all.has(p) ? [{ ...all.get(p)!, pid: p }] : []));
}

export function treeRssMb(pid: number): number {
  return tree(pid).reduce((sum, p) => sum + p.rssKb, 0) / 1024;
}

/** Resets each process's high-water mark to its current RSS (clear_refs "5"; Linux ≥ 4.0). */
export function resetPeakRss(pid: number): void {
  for (const process of tree(pid)) {
    try {
      writeFileSync(`/proc/${process.pid}/clear_refs`, "5");
    } catch {
      // gone, or not ours to reset: its peak then covers its whole life
    }
  }
}

/** The sum of each process's peak RSS since the last reset: an upper bound of the tree's peak. */
export function treePeakRssMb(pid: number): number {
  return tree(pid).reduce((sum, p) => sum + p.peakKb, 0) / 1024;
}
