/**
 * `GET /quickbooks-desktop/health-check` for the end-user named by `Conductor-End-User-Id`: it
 * passes when the connection exists and is reachable; otherwise Conductor's integration-connection
 * errors. Each check is a request to QuickBooks, recorded on the connection like any other.
 */
import { conductorError, notFound, ok } from "./errors";
import { qbdConnection, recordRequest } from "./connections";
import type { ConductorSandboxStore } from "./store";

/** QuickBooks's own error when its request processor could not start or reach QuickBooks Desktop. */
const COULD_NOT_START_QUICKBOOKS = "0x80040408";

const UNREACHABLE =
  "We could not reach QuickBooks Desktop on your computer. Make sure that computer is on, QuickBooks Desktop " +
  "is open with your company file (and no dialog is waiting in it), and QuickBooks Web Connector is running; " +
  "then try again.";

export async function healthCheckRoutes(store: ConductorSandboxStore, request: Request, path: string) {
  if (path !== "/quickbooks-desktop/health-check" || request.method !== "GET") return null;
  const endUserId = request.headers.get("conductor-end-user-id");
  if (!endUserId) {
    return conductorError(
      400,
      "INVALID_REQUEST_ERROR",
      "MISSING_END_USER_ID",
      "Missing required header `Conductor-End-User-Id`.",
      "An internal server error occurred. Please try again later.",
    );
  }
  const endUser = store.get(endUserId);
  if (!endUser) return notFound(`No end-user exists with id \`${endUserId}\`.`);
  if (!qbdConnection(endUser)) {
    return conductorError(
      409,
      "INTEGRATION_CONNECTION_ERROR",
      "INTEGRATION_CONNECTION_NOT_SET_UP",
      `The end-user \`${endUserId}\` has not completed the QuickBooks Desktop auth flow.`,
      "QuickBooks Desktop is not connected yet. Finish the setup on the computer that runs QuickBooks Desktop.",
    );
  }
  const started = performance.now();
  if (store.offline(endUserId)) {
    recordRequest(store, endUser, false);
    return conductorError(
      502,
      "INTEGRATION_CONNECTION_ERROR",
      "QBD_CONNECTION_ERROR",
      // Conductor's developer message names QuickBooks's own error, as in its API reference's example.
      `QBD Connection Error (${COULD_NOT_START_QUICKBOOKS}): Could not start QuickBooks.`,
      UNREACHABLE,
      COULD_NOT_START_QUICKBOOKS,
    );
  }
  recordRequest(store, endUser, true);
  return ok({ duration: Math.max(1, Math.round(performance.now() - started)), status: "ok" });
}
