/**
 * Opening Conductor's QuickBooks Desktop setup for an end-user: an auth session whose flow sends
 * the customer back to /onboarding/connected, either opened at once (Conductor's 30 minutes) or
 * emailed to the end-user's address for the Windows computer that runs QuickBooks (longer-lived).
 */
import "server-only";
import { recordAudit } from "@/lib/data/audit";
import { otherSignInEmail } from "@/lib/data/users";
import { auditActor, type Actor } from "@/lib/model/actor";
import { isEmailAddress } from "@/lib/model/email-address";
import type { AuthSession } from "@/lib/model/auth-session";
import { env } from "@/lib/platform/env";
import { AppError } from "@/lib/platform/errors/app-error";
import { log } from "@/lib/platform/log";
import { MailRefused, MailUnconfirmed, mailKnownDown, sendMail } from "@/lib/platform/mail/send";
import { conductor } from "@/lib/wiring/vendors";
import { connectLinkMail } from "./connect-link-mail";
import { SETUP_PROOF_PARAM, SETUP_UNTIL_PARAM, setupReturnProof, setupReturnUntil } from "./setup-return";
import type { SentLink } from "./schemas";
import {
  connectionSubject,
  offboardingOr,
  offboardingRefusal,
  type ConnectionSubject,
  type EndUserBudget,
} from "./subject";

/** Where Conductor's flow sends the customer when it is done: the page that checks the connection. */
export const CONNECTED_PATH = "/onboarding/connected";

/**
 * The end-user whose setup it was, in that address: the computer it ends on may have another
 * company's customer signed in (one that runs QuickBooks for several).
 */
export const SETUP_FOR_PARAM = "endUser";

async function openSession(subject: ConnectionSubject, appOrigin: string, linkExpiryMins?: number) {
  const back = new URL(CONNECTED_PATH, appOrigin);
  back.searchParams.set(SETUP_FOR_PARAM, subject.id);
  const until = setupReturnUntil(linkExpiryMins);
  back.searchParams.set(SETUP_UNTIL_PARAM, String(until));
  back.searchParams.set(SETUP_PROOF_PARAM, setupReturnProof(subject.id, until));
  const redirectUrl = back.toString();
  return conductor()
    .authSessions.create({ endUserId: subject.id, redirectUrl, linkExpiryMins })
    .catch(async (error: unknown) => {
      throw await offboardingOr(subject.id, error);
    });
}

type SessionEvent = {
  action: "AUTH_SESSION_CREATED" | "CONNECT_LINK_SENT" | "CONNECT_LINK_NOT_SENT" | "CONNECT_LINK_UNCONFIRMED";
  data?: Record<string, string>;
};

function recordSession(
  actor: Actor,
  subject: ConnectionSubject,
  { data: session, conductorRequestId }: Awaited<ReturnType<typeof openSession>>,
  { action, data }: SessionEvent,
) {
  return recordAudit({
    action,
    actor: auditActor(actor),
    endUserId: subject.id,
    sourceId: subject.sourceId,
    conductorRequestId,
    data: { authSessionId: session.id, ...data, expiresAt: session.expiresAt.toISOString() },
  });
}

/** POST /api/end-users/[id]/auth-sessions, and "Open the setup". Allowed whatever the status: reconnecting is. */
export async function createAuthSession(
  actor: Actor,
  endUserId: string,
  options: { appOrigin: string; budget?: EndUserBudget },
): Promise<AuthSession> {
  const subject = await connectionSubject(actor, endUserId, options.budget);
  const opened = await openSession(subject, options.appOrigin);
  await recordSession(actor, subject, opened, { action: "AUTH_SESSION_CREATED" });
  return opened.data;
}

const MAIL_DOWN = "We could not send the email. Try again shortly.";

/**
 * An offboarding that deleted the end-user in Conductor while it opened the session: the link
 * would lead nowhere for as long as it lives, so none is sent (410, or 409 while it is settled).
 */
async function unlessOffboardedMeanwhile(
  actor: Actor,
  subject: ConnectionSubject,
  opened: Awaited<ReturnType<typeof openSession>>,
) {
  const refusal = await offboardingRefusal(subject.id);
  if (!refusal) return;
  await recordSession(actor, subject, opened, {
    action: "CONNECT_LINK_NOT_SENT",
    data: { to: subject.email, reason: "offboarded" },
  });
  throw refusal;
}

/**
 * A signed-up customer's end-user (their account id as sourceId) is sent links only at the address
 * they sign in with. Conductor's record may hold another: one set in Conductor itself, or by an
 * operator before creations were held to it. The link connects their company file.
 */
async function refuseAnotherAddressThanTheCustomers(subject: ConnectionSubject): Promise<void> {
  const signInEmail = await otherSignInEmail(subject.sourceId, subject.email);
  if (signInEmail === null) return;
  throw new AppError(
    "email_not_deliverable",
    `Conductor's record for this end-user holds ${subject.email}, not ${signInEmail}, the email its account signs in with, so no setup link was sent. Open the setup on the computer that runs QuickBooks Desktop instead; an operator can offboard the end-user and set it up again with the right email.`,
  );
}

/** POST /api/end-users/[id]/connect-link, and "Email me this link": a fresh session, emailed. */
export async function sendConnectLink(
  actor: Actor,
  endUserId: string,
  options: { appOrigin: string; budget?: EndUserBudget },
): Promise<SentLink> {
  const subject = await connectionSubject(actor, endUserId, options.budget);
  // The address is Conductor's record, cached as stored: a list of addresses or a header there
  // would send the link (which connects a company file) to whoever it names.
  if (!isEmailAddress(subject.email)) throw new AppError("email_not_deliverable");
  await refuseAnotherAddressThanTheCustomers(subject);
  // A link that cannot be mailed is not worth a session: while the mail server is down, Conductor is not asked.
  if (await mailKnownDown()) throw new AppError("mail_unavailable", MAIL_DOWN);
  const opened = await openSession(subject, options.appOrigin, env.CONNECT_LINK_EXPIRY_MINUTES).catch(
    (error: unknown) => {
      // Said before Conductor's failure: the button was "email", and nothing went out.
      throw error instanceof AppError && error.details.provider === "conductor"
        ? new AppError(error.code, `No setup link was emailed: ${error.message}`, error.details)
        : error;
    },
  );
  const session = opened.data;
  await unlessOffboardedMeanwhile(actor, subject, opened);
  try {
    const sentBy = actor.kind === "operator" ? { operator: actor.email } : "customer";
    const { email: to, companyName } = subject;
    const lifetimeMinutes = env.CONNECT_LINK_EXPIRY_MINUTES;
    const connected = subject.connection.status === "connected";
    await sendMail(connectLinkMail({ to, companyName, session, sentBy, lifetimeMinutes, connected }));
  } catch (error) {
    log.error("mail.failed", { purpose: "connect-link", endUserId, message: (error as Error).message });
    const unconfirmed = error instanceof MailUnconfirmed;
    // Conductor opened a session all the same: the trail says so, and whether anybody was sent it.
    const action = unconfirmed ? "CONNECT_LINK_UNCONFIRMED" : "CONNECT_LINK_NOT_SENT";
    await recordSession(actor, subject, opened, { action, data: { to: subject.email } }).catch((auditError: Error) =>
      log.error("audit.write_failed", { endUserId, message: auditError.message }),
    );
    if (unconfirmed)
      throw new AppError(
        "mail_unavailable",
        `The mail server did not confirm the email to ${subject.email} in time, so we cannot tell whether it will arrive. Wait a few minutes before sending another link, or open the setup on that computer instead.`,
        { keepsBudget: true },
      );
    if (error instanceof MailRefused)
      throw new AppError(
        "mail_refused",
        `The mail server refused to deliver to ${subject.email} (${error.responseCode}), so no link was sent. Check that address in Conductor's record, or open the setup on that computer instead.`,
      );
    throw new AppError("mail_unavailable", MAIL_DOWN);
  }
  await recordSession(actor, subject, opened, { action: "CONNECT_LINK_SENT", data: { sentTo: subject.email } });
  return { sentTo: subject.email, expiresAt: session.expiresAt };
}
