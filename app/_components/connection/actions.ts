"use server";

import { headers } from "next/headers";
import type { ConnectionStatus } from "@/lib/model/connection";
import { AppError } from "@/lib/platform/errors/app-error";
import { formatTimestamp } from "@/lib/platform/format";
import { createAuthSession, sendConnectLink } from "@/lib/use-cases/connection/auth-sessions";
import { checkConnection } from "@/lib/use-cases/connection/check";
import { connectionFormSchema } from "@/lib/use-cases/connection/schemas";
import { formAction } from "@/lib/web/actions/form-action";
import { publicOrigin } from "@/lib/web/http/public-origin";
import { budgets, perEndUser } from "@/lib/web/rate-limit/budgets";
import { statusLabel } from "./wording";
import { rememberChecked } from "./checked-in-request";

const perEndUserOf = (input: { endUserId: string }) => perEndUser(input.endUserId);

/** "Open the setup": a Conductor auth session, whose flow the page opens in a new tab (a link when it cannot). */
export const openSetupAction = formAction(
  {
    name: "openSetup",
    allow: ["customer", "operator"],
    schema: connectionFormSchema,
    rateLimit: { ...budgets.authSession, key: perEndUserOf },
  },
  async ({ endUserId }, viewer, budget) => {
    const session = await createAuthSession(viewer, endUserId, { appOrigin: publicOrigin(await headers()), budget });
    return {
      // The page says whether the tab opened: only the browser knows.
      message: `The setup's link works until ${formatTimestamp(session.expiresAt)}.`,
      link: session.authFlowUrl,
    };
  },
);

/** "Email me this link" and "Send connect link": a longer-lived setup link, to the end-user's address. */
export const sendConnectLinkAction = formAction(
  {
    name: "sendConnectLink",
    allow: ["customer", "operator"],
    schema: connectionFormSchema,
    rateLimit: { ...budgets.connectLink, key: perEndUserOf },
  },
  async ({ endUserId }, viewer, budget) => {
    const { sentTo, expiresAt } = await sendConnectLink(viewer, endUserId, {
      appOrigin: publicOrigin(await headers()),
      budget,
    });
    const until = `it works once, until ${formatTimestamp(expiresAt)}.`;
    return viewer.kind === "operator"
      ? `We emailed a setup link to ${sentTo}, for the customer to open on the Windows computer that runs QuickBooks Desktop; ${until}`
      : `We emailed a setup link to ${sentTo}. Open it on the Windows computer that runs QuickBooks Desktop; ${until}`;
  },
);

/** How a check's outcome is shown: only a connection that answered is good news. */
const CHECK_TONE: Record<ConnectionStatus, "info" | "warn" | undefined> = {
  connected: undefined,
  in_progress: "info",
  not_started: "info",
  needs_attention: "warn",
};

/** "Check now" / "Check again": Conductor's health check, run now. */
export const checkConnectionAction = formAction(
  {
    name: "checkConnection",
    allow: ["customer", "operator"],
    schema: connectionFormSchema,
    rateLimit: { ...budgets.connectionCheck, key: perEndUserOf },
  },
  async ({ endUserId }, viewer, budget) => {
    const { connection } = await checkConnection(viewer, endUserId, { budget }).catch((error: unknown) => {
      // Said first: the panel still shows a status, and it is not this check's.
      throw error instanceof AppError && error.details.provider === "conductor"
        ? new AppError(
            error.code,
            `Not checked: ${error.message} The status shown is the last one known.`,
            error.details,
          )
        : error;
    });
    await rememberChecked(endUserId, connection);
    const { status, checkedAt } = connection;
    // A time rather than "just now": the message stays on the page while the check grows old.
    const message = `Checked at ${formatTimestamp(checkedAt ?? new Date())}: ${statusLabel(status)}.`;
    return { message, tone: CHECK_TONE[status], found: status, checkedAt: checkedAt?.toISOString() };
  },
);
