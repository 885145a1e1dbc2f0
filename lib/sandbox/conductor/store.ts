/**
 * Where the sandbox Conductor keeps its end-users, auth sessions and which QuickBooks Desktop
 * connections are unreachable: in memory, optionally logged to a JSON-lines file (each line one
 * change) so that the demo's data survives a restart.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type Conductor from "conductor-node";

export type SandboxEndUser = Conductor.EndUser;

/** An auth session as conductor-node types it, plus when its flow was completed (single use). */
export type SandboxAuthSession = Conductor.AuthSession & { completedAt: string | null };

export type ConductorSandboxStore = {
  list(): SandboxEndUser[];
  get(id: string): SandboxEndUser | undefined;
  put(endUser: SandboxEndUser): void;
  remove(id: string): boolean;
  /** Sessions are found by the client secret their flow's URL carries. */
  session(clientSecret: string): SandboxAuthSession | undefined;
  putSession(session: SandboxAuthSession): void;
  /** Whether the end-user's QuickBooks Desktop is unreachable (QuickBooks closed, Web Connector off). */
  offline(endUserId: string): boolean;
  setOffline(endUserId: string, offline: boolean): void;
};

type State = { endUsers: Map<string, SandboxEndUser>; sessions: Map<string, SandboxAuthSession>; offline: Set<string> };

const emptyState = (endUsers: SandboxEndUser[] = []): State => ({
  endUsers: new Map(endUsers.map((endUser) => [endUser.id, endUser])),
  sessions: new Map(),
  offline: new Set(),
});

function storeOver(state: State): ConductorSandboxStore {
  return {
    list: () => [...state.endUsers.values()],
    get: (id) => state.endUsers.get(id),
    put: (endUser) => void state.endUsers.set(endUser.id, endUser),
    remove: (id) => (state.offline.delete(id), state.endUsers.delete(id)),
    session: (clientSecret) => state.sessions.get(clientSecret),
    putSession: (session) => void state.sessions.set(session.clientSecret, session),
    offline: (endUserId) => state.offline.has(endUserId),
    setOffline: (endUserId, offline) => void (offline ? state.offline.add(endUserId) : state.offline.delete(endUserId)),
  };
}

export function memoryStore(initial: SandboxEndUser[] = []): ConductorSandboxStore {
  return storeOver(emptyState(initial));
}

type Line =
  | { op: "put"; endUser: SandboxEndUser }
  | { op: "delete"; id: string }
  | { op: "session"; session: SandboxAuthSession }
  | { op: "offline"; id: string; offline: boolean }
  | SandboxEndUser;

/** Replays the log: earlier versions of the file hold one end-user object per line. */
function replay(file: string): State {
  const state = emptyState();
  const store = storeOver(state);
  for (const text of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
    const line = JSON.parse(text) as Line;
    if (!("op" in line)) store.put(line);
    else if (line.op === "put") store.put(line.endUser);
    else if (line.op === "delete") store.remove(line.id);
    else if (line.op === "session") store.putSession(line.session);
    else store.setOffline(line.id, line.offline);
  }
  return state;
}

export function fileStore(file: string): ConductorSandboxStore {
  const memory = storeOver(existsSync(file) ? replay(file) : emptyState());
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
    putSession(session) {
      append({ op: "session", session });
      memory.putSession(session);
    },
    setOffline(endUserId, offline) {
      if (memory.offline(endUserId) === offline) return;
      append({ op: "offline", id: endUserId, offline });
      memory.setOffline(endUserId, offline);
    },
  };
}
