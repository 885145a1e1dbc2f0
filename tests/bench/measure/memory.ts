/** Resident memory (VmRSS) of a process and every process below it, from /proc. */
import { readdirSync, readFileSync } from "node:fs";

function read(pid: number): { ppid: number; rssKb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
    return { ppid: field("PPid"), rssKb: field("VmRSS") };
  } catch {
    return null; // gone
  }
}

export function treeRssMb(pid: number): number {
  const all = new Map<number, { ppid: number; rssKb: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const process = read(Number(name));
    if (process) all.set(Number(name), process);
  }
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [child, { ppid }] of all) {
      if (!tree.has(child) && tree.has(ppid)) grew = Boolean(tree.add(child));
    }
  }
  return [...tree].reduce((sum, p) => sum + (all.get(p)?.rssKb ?? 0), 0) / 1024;
}
