/**
 * Where the sandbox Conductor keeps its end-users: in memory, optionally logged to a JSON-lines
 * file (each line a put or a delete) so that the demo's data survives a restart.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type Conductor from "conductor-node";

export type SandboxEndUser = Conductor.EndUser;

export type ConductorSandboxStore = {
  list(): SandboxEndUser[];
  get(id: string): SandboxEndUser | undefined;
  put(endUser: SandboxEndUser): void;
  remove(id: string): boolean;
};

export function memoryStore(initial: SandboxEndUser[] = []): ConductorSandboxStore {
  const byId = new Map(initial.map((endUser) => [endUser.id, endUser]));
  return {
    list: () => [...byId.values()],
    get: (id) => byId.get(id),
    put: (endUser) => void byId.set(endUser.id, endUser),
    remove: (id) => byId.delete(id),
  };
}

type Line = { op: "put"; endUser: SandboxEndUser } | { op: "delete"; id: string } | SandboxEndUser;

/** Replays the log: earlier versions of the file hold one end-user object per line. */
function replay(file: string): SandboxEndUser[] {
  const byId = new Map<string, SandboxEndUser>();
  for (const text of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
    const line = JSON.parse(text) as Line;
    if ("op" in line && line.op === "delete") byId.delete(line.id);
    else {
      const endUser = "op" in line ? line.endUser : line;
      byId.set(endUser.id, endUser);
    }
  }
  return [...byId.values()];
}

export function fileStore(file: string): ConductorSandboxStore {
  const memory = memoryStore(existsSync(file) ? replay(file) : []);
  const append = (line: Line) => {
    mkdirSync(path.dirname(file), { recursive: true });
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
  return {
    ...memory,
    put(endUser) {
      append({ op: "put", endUser });
      memory.put(endUser);
    },
    remove(id) {
      if (!memory.get(id)) return false;
      append({ op: "delete", id });
      return memory.remove(id);
    },
  };
}
