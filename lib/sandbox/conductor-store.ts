/**
 * Where the sandbox Conductor keeps its end-users: in memory, optionally appended to a JSON-lines
 * file so that the demo's data survives a restart.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type Conductor from "conductor-node";

type ConductorEndUserPayload = Conductor.EndUser;

export type ConductorSandboxStore = {
  list(): ConductorEndUserPayload[];
  get(id: string): ConductorEndUserPayload | undefined;
  insert(endUser: ConductorEndUserPayload): void;
};

export function memoryStore(initial: ConductorEndUserPayload[] = []): ConductorSandboxStore {
  const byId = new Map(initial.map((endUser) => [endUser.id, endUser]));
  return {
    list: () => [...byId.values()],
    get: (id) => byId.get(id),
    insert: (endUser) => void byId.set(endUser.id, endUser),
  };
}

export function fileStore(file: string): ConductorSandboxStore {
  const initial = existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as ConductorEndUserPayload)
    : [];
  const memory = memoryStore(initial);
  return {
    ...memory,
    insert(endUser) {
      mkdirSync(path.dirname(file), { recursive: true });
      appendFileSync(file, `${JSON.stringify(endUser)}\n`);
      memory.insert(endUser);
    },
  };
}
