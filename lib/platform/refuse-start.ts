import { log } from "./log";

/** Stops a server that must not serve (a bad environment): logged, then the process ends with 1. */
export function refuseToStart(error: unknown): never {
  const { name, message } = error as Error;
  log.error("server.refused_to_start", { error: name, message });
  process.exit(1);
}
