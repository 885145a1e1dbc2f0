/**
 * How much of the machine something other than the bench used while it measured under load: the
 * cores' busy time (from /proc/stat) minus what the server, its Postgres backends and this
 * process (autocannon) used. The machine description reports the worst run.
 */
import { machineBusyMs } from "./cpu";

let worst = 0;

export function startWindow() {
  const machine = machineBusyMs();
  const self = process.cpuUsage();
  const started = performance.now();
  /** Ends the window, given the server's and Postgres's CPU ms within it; returns the others' share. */
  return (serverMs: number, postgresMs: number): number => {
    const busy = machineBusyMs().busyMs - machine.busyMs;
    const selfUsage = process.cpuUsage(self);
    const selfMs = (selfUsage.user + selfUsage.system) / 1000;
    const share = Math.max(0, busy - serverMs - postgresMs - selfMs) / ((performance.now() - started) * machine.cores);
    worst = Math.max(worst, share);
    return share;
  };
}

export const worstInterference = () => worst;
