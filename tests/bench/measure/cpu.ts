/**
 * Server CPU time from /proc (utime + stime, in clock ticks of 10 ms): of a process and all its
 * descendants, and of the Postgres backends serving the bench's database.
 */
import { readdirSync, readFileSync } from "node:fs";
import pg from "pg";

const TICK_MS = 10; // CLK_TCK = 100 on Linux

type Stat = { ppid: number; cpuMs: number };

function stat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm)": state ppid … utime (14th field) stime (15th).
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return null; // gone
  }
}

/** CPU milliseconds used so far by `pid` and every process below it. */
export function treeCpuMs(pid: number): number {
  const all = new Map<number, Stat>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s) all.set(Number(name), s);
  }
  const inTree = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [child, s] of all) {
      if (!inTree.has(child) && inTree.has(s.ppid)) {
        inTree.add(child);
        grew = true;
      }
    }
  }
  return [...inTree].reduce((sum, p) => sum + (all.get(p)?.cpuMs ?? 0), 0);
}

/** CPU milliseconds per backend of the database at `url` (other than the bench's own snapshots). */
export async function backendCpuMs(url: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: url, application_name: "bench-cpu" });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name <> 'bench-cpu'",
    );
    return new Map(rows.map(({ pid }) => [pid, stat(pid)?.cpuMs ?? 0]));
  } finally {
    await client.end();
  }
}

/** Postgres CPU used between two `backendCpuMs` snapshots (backends born in between count in full). */
export function backendDeltaMs(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}

/** CPU milliseconds all cores have spent busy since boot (from /proc/stat), and how many cores. */
export function machineBusyMs(): { busyMs: number; cores: number } {
  const lines = readFileSync("/proc/stat", "utf8").split("\n");
  const [, user, nice, system, , , irq, softirq, steal] = lines[0]!.trim().split(/\s+/).map(Number);
  const cores = lines.filter((line) => /^cpu\d+ /.test(line)).length;
  return { busyMs: (user! + nice! + system! + irq! + softirq! + steal!) * TICK_MS, cores };
}
