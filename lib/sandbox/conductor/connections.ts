/**
 * The sandbox end-user's QuickBooks Desktop connection: created when an auth flow is completed
 * (or a fault sets it), touched by every request that reaches QuickBooks, unreachable when the
 * `offline` fault says so.
 */
import { randomId } from "@/lib/sandbox/responses";
import type { ConductorSandboxStore, SandboxEndUser } from "./store";

export type ConnectionState = "connected" | "offline" | "not_set_up";

type IntegrationConnection = SandboxEndUser["integrationConnections"][number];

const isQbd = (connection: IntegrationConnection) => connection.integrationSlug === "quickbooks_desktop";

export function qbdConnection(endUser: SandboxEndUser): IntegrationConnection | undefined {
  return endUser.integrationConnections.find(isQbd);
}

/**
 * The end-user with its QuickBooks Desktop connection changed by `change` (created first if
 * missing, at `now`: a connection's first request is never dated before the connection).
 */
function withConnection(
  endUser: SandboxEndUser,
  change: (connection: IntegrationConnection) => IntegrationConnection,
  now = new Date().toISOString(),
): SandboxEndUser {
  const existing = qbdConnection(endUser);
  const connection = existing ?? {
    id: randomId("int_conn_"),
    objectType: "integration_connection" as const,
    createdAt: now,
    integrationSlug: "quickbooks_desktop" as const,
    lastRequestAt: null,
    lastSuccessfulRequestAt: null,
  };
  const others = endUser.integrationConnections.filter((c) => c !== existing);
  return { ...endUser, integrationConnections: [...others, change(connection)] };
}

/** A request reached QuickBooks Desktop (or tried to): Conductor records when, and whether it succeeded. */
export function recordRequest(store: ConductorSandboxStore, endUser: SandboxEndUser, succeeded: boolean): void {
  const now = new Date().toISOString();
  store.put(
    withConnection(
      endUser,
      (connection) => ({
        ...connection,
        lastRequestAt: now,
        lastSuccessfulRequestAt: succeeded ? now : connection.lastSuccessfulRequestAt,
      }),
      now,
    ),
  );
}

/** What finishing the auth flow does: the connection exists, reachable, and its first request succeeded. */
export function completeConnection(store: ConductorSandboxStore, endUser: SandboxEndUser): void {
  store.setOffline(endUser.id, false);
  recordRequest(store, endUser, true);
}

/** Sets what the health check and the end-user's connection say from now on (the emulator's fault). */
export function setConnectionState(store: ConductorSandboxStore, endUser: SandboxEndUser, state: ConnectionState) {
  if (state === "connected") return completeConnection(store, endUser);
  if (state === "offline") {
    store.put(withConnection(endUser, (connection) => connection));
    return store.setOffline(endUser.id, true);
  }
  store.setOffline(endUser.id, false);
  store.put({ ...endUser, integrationConnections: endUser.integrationConnections.filter((c) => !isQbd(c)) });
}
