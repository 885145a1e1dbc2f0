"use client";

import { useRouter } from "next/navigation";
import { useActionState, useCallback, useEffect, useId, useRef, useState, useTransition } from "react";
import { BusyButton } from "@/app/_components/busy-button";
import { FormOutcome } from "@/app/_components/form-outcome";
import { ActionCallBoundary, LostCallNotice, useLostCall } from "@/app/_components/action-call-boundary";
import { Notice } from "@/app/_components/notice";
import { signInAgainHref } from "@/app/_components/sign-in-again";
import type { Connection } from "@/lib/model/connection";
import { lastQuickBooksAnswer } from "@/lib/model/connection-status";
import { formatTimestamp } from "@/lib/platform/format";
import { idle, type FormState } from "@/lib/web/actions/form-state";
import { checkConnectionAction, openSetupAction, sendConnectLinkAction } from "./actions";
import { ConnectionBadge } from "./connection-badge";
import { describeStatus, type Reader } from "./wording";

type Action = "open" | "email" | "check";

const POLL_MS = 3_000;
/** Once connected, slowly: enough to notice an offboarding or a sign-out elsewhere. */
const CONNECTED_POLL_MS = 30_000;

/** Answers after which this panel no longer stands for anything the caller may act on. */
const ENDED: Record<number, string> = {
  401: "Your session has ended. Sign in again to see this connection.",
  404: "This company is no longer available to this session: it was removed, or another account signed in here.",
  410: "This company was offboarded: its Conductor account and QuickBooks Desktop connection are gone.",
};

const LABELS: Record<Action, { idle: string; pending: string }> = {
  open: { idle: "Open the setup", pending: "Opening…" },
  email: { idle: "Email me this link", pending: "Sending…" },
  check: { idle: "Check now", pending: "Checking…" },
};

/** The last action's outcome; with the setup's, a link to it (`linkLead` says why). */
function Outcome({
  state,
  linkLead = "Nothing opened?",
  newTabNote,
}: {
  state: FormState;
  linkLead?: string;
  /** The id of the note that says the setup opens in a new tab. */
  newTabNote?: string;
}) {
  return (
    <FormOutcome state={state}>
      {state.status === "success" && state.link && (
        <>
          {" "}
          {linkLead}{" "}
          <a href={state.link} target="_blank" rel="noopener noreferrer" aria-describedby={newTabNote}>
            Open the setup
          </a>
          .
        </>
      )}
    </FormOutcome>
  );
}

/** Why the status shown may be old: the server's notice (the cached copy), or why it could not be read. */
type Stale = { notice: string; conductorRequestId?: string };

const UNREACHABLE =
  "We could not reach the server to refresh this status: it shows what was last known, and this page keeps trying.";

/** The error envelope's message, said as why the status could not be refreshed. */
async function unrefreshed(response: Response): Promise<Stale> {
  const body = (await response.json().catch(() => null)) as {
    error?: { message?: string; conductorRequestId?: string };
  } | null;
  const why = body?.error?.message ?? `The server answered ${response.status}.`;
  return {
    notice: `We could not refresh this status: ${why} It shows what was last known, and this page keeps trying.`,
    conductorRequestId: body?.error?.conductorRequestId,
  };
}

/**
 * When a check last ran; without one, where a status other than "not started" came from. A
 * Connected status newer than the check (which may have failed) came from QuickBooks Desktop's
 * answer since: said, so the check's time is not read as its success.
 */
function lastCheckText({ checkedAt, status }: Connection, answeredAt: Date | null): string {
  if (!checkedAt)
    return status === "not_started" ? "none yet" : "none yet: this status is Conductor's record of the connection";
  if (status === "connected" && answeredAt && answeredAt > checkedAt)
    return `${formatTimestamp(checkedAt)}; QuickBooks Desktop answered Conductor since, at ${formatTimestamp(answeredAt)}`;
  return formatTimestamp(checkedAt);
}

type RawAnsweringConnection = { integrationSlug: string; lastSuccessfulRequestAt: string | null };

const answeredAtOf = (connections: RawAnsweringConnection[]) =>
  lastQuickBooksAnswer(
    connections.map(({ integrationSlug, lastSuccessfulRequestAt: at }) => ({
      integrationSlug,
      lastSuccessfulRequestAt: at ? new Date(at) : null,
    })),
  );

type RawConnection = { [K in keyof Connection]: K extends "checkedAt" ? string | null : Connection[K] };

const parse = (raw: RawConnection): Connection => ({
  ...raw,
  checkedAt: raw.checkedAt ? new Date(raw.checkedAt) : null,
});

type PanelProps = {
  endUserId: string;
  initial: Connection;
  /** When QuickBooks Desktop last answered through Conductor, as the page was rendered; null if never or unknown. */
  answeredAt?: Date | null;
  actions: Action[];
  emailLabel?: string;
  showDetails?: boolean;
  /** Whom the status is worded for. */
  reader?: Reader;
  /** How long a check may take, said while one runs. */
  checkSeconds: number;
  /** How recent a cached copy answers a poll instead of Conductor (CONDUCTOR_READ_FRESH_SECONDS). */
  freshSeconds: number;
  /**
   * When the page's copy was read from Conductor: shown beside the status, and an older copy than
   * a poll would accept is read again as soon as the page is up rather than at the first poll.
   */
  syncedAt?: Date;
};

/**
 * An end-user's QuickBooks Desktop connection, live: the end-user is read again every few seconds
 * while the page is visible and it is not connected (every half minute once it is), and the
 * buttons open the setup in a new tab, email its link, or run a check. Labels can be renamed per
 * page (`emailLabel`).
 */
export function ConnectionPanel(props: PanelProps) {
  return (
    <ActionCallBoundary>
      <Panel {...props} />
    </ActionCallBoundary>
  );
}

function Panel({
  endUserId,
  initial,
  answeredAt: initialAnsweredAt = null,
  actions,
  emailLabel = LABELS.email.idle,
  showDetails = false,
  reader = "customer",
  checkSeconds,
  freshSeconds,
  syncedAt: initialSyncedAt,
}: PanelProps) {
  const router = useRouter();
  const newTabNote = useId();
  const lostCall = useLostCall();
  // A call that did not come back shows the panel afresh: the button pressed takes the focus again.
  const buttons = useRef<HTMLDivElement>(null);
  const remember = (action: Action) => lostCall.remember({ pressed: action });
  const pressedBeforeLoss = lostCall.lost ? lostCall.sent?.pressed : undefined;
  useEffect(() => {
    if (pressedBeforeLoss) buttons.current?.querySelector<HTMLElement>(`[data-action="${pressedBeforeLoss}"]`)?.focus();
  }, [pressedBeforeLoss]);
  const [connection, setConnection] = useState(initial);
  const [answeredAt, setAnsweredAt] = useState(initialAnsweredAt);
  const [syncedAt, setSyncedAt] = useState(initialSyncedAt);
  const [openState, setOpenState] = useState<FormState>(idle);
  const [openBlocked, setOpenBlocked] = useState(false);
  const [opening, startOpening] = useTransition();
  const [emailState, email, emailing] = useActionState(sendConnectLinkAction, idle);
  const shown = useRef(initial.status);
  // Once the status changes, what "Open the setup", "Email me this link" and the last check said about it is old news.
  const outcomes = useRef<FormState[]>([openState, emailState]);
  const [superseded, setSuperseded] = useState<FormState[]>([]);
  const [stale, setStale] = useState<Stale | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  // Reads can answer out of order (one waits on Conductor while a later one is served from the
  // cache): an answer older than one already applied would put an old status back on screen.
  const reads = useRef({ started: 0, applied: 0 });

  const refresh = useCallback(async () => {
    // Only what was on screen when this read began can be old news by its answer: an outcome
    // that arrived meanwhile (a check's, while a poll waited on Conductor) is newer than it.
    const shownBefore = outcomes.current;
    const read = ++reads.current.started;
    /** Whether this read's answer is the newest so far; once it is, older ones are dropped. */
    const newest = () => read > reads.current.applied && ((reads.current.applied = read), true);
    // The end-user as Conductor has it (the server asks at most every `freshSeconds`, else answers
    // from the cache): a setup completed on another computer shows here without a check.
    const url = `/api/end-users/${endUserId}?maxAge=${freshSeconds}`;
    const response = await fetch(url, { cache: "no-store" }).catch(() => null);
    const ended = response && ENDED[response.status];
    const failure = !response ? { notice: UNREACHABLE } : !response.ok && !ended ? await unrefreshed(response) : null;
    const body =
      response?.ok &&
      ((await response.json()) as {
        endUser: { connection: RawConnection; integrationConnections: RawAnsweringConnection[]; syncedAt: string };
        notice?: string;
        conductorRequestId?: string;
      });
    if (!newest()) return;
    if (failure) return setStale(failure);
    if (ended) {
      // Signed out, offboarded or another account signed in elsewhere: say so, and let the page as
      // the server renders it now follow (another end-user's page mounts a panel of its own).
      setEnded(ended);
      // Signed out in another tab of this browser: the server would send this tab to sign in
      // without a word, as its cookie is gone too.
      if (response.status === 401) router.replace(signInAgainHref(window.location.pathname));
      else router.refresh();
      return;
    }
    if (!body) return;
    const next = parse(body.endUser.connection);
    setConnection(next);
    setAnsweredAt(answeredAtOf(body.endUser.integrationConnections));
    setSyncedAt(new Date(body.endUser.syncedAt));
    setStale(body.notice ? { notice: body.notice, conductorRequestId: body.conductorRequestId } : null);
    // Old news by this answer: a check's outcome once a read begun after it shows another status
    // than the check found (whichever read brings that status first), any other outcome once the
    // status changes. Old news stays so: a status that comes back does not make it news again.
    const changed = next.status !== shown.current;
    const old = shownBefore.filter((outcome) => {
      const checked = outcome.status === "success" ? outcome.found : undefined;
      return outcome !== idle && (checked ? checked !== next.status : changed);
    });
    setSuperseded((before) => {
      const added = old.filter((outcome) => !before.includes(outcome));
      return added.length ? [...before, ...added] : before;
    });
    // The rest of the page (its connections table) follows a change of status.
    if (changed) router.refresh();
    shown.current = next.status;
  }, [endUserId, freshSeconds, router]);

  // The server action itself, so that the check also works before (or without) JavaScript: the
  // page the server answers with shows its outcome and the status it found.
  const [checkState, check, checking] = useActionState(checkConnectionAction, idle);
  useEffect(() => {
    outcomes.current = [openState, emailState, checkState];
  }, [openState, emailState, checkState]);
  // A check's outcome is in the cache once the action returns: the status at once, and the rest of
  // the page (its connections table, when it was read) as the server has it now.
  useEffect(() => {
    if (checkState === idle) return;
    // Read as the polling reads, once this render is done; the check's own outcome stays shown
    // while the status read is the one it found.
    void Promise.resolve()
      .then(() => refresh())
      .then(() => router.refresh());
  }, [checkState, refresh, router]);

  // Opening the setup and emailing its link are recorded (an operator's page shows its Activity):
  // the rest of the page follows, as it does after a check.
  useEffect(() => {
    if (openState !== idle || emailState !== idle) router.refresh();
  }, [openState, emailState, router]);

  // A setup completed since the page's copy was read (from an emailed link) shows at once. Once
  // per panel: the page rendered again later (router.refresh) is no new arrival.
  const arrived = useRef(false);
  useEffect(() => {
    if (arrived.current) return;
    if (!initialSyncedAt || Date.now() - initialSyncedAt.getTime() <= freshSeconds * 1_000) {
      arrived.current = true;
      return;
    }
    const timer = setTimeout(() => ((arrived.current = true), void refresh()), 0);
    return () => clearTimeout(timer);
  }, [initialSyncedAt, freshSeconds, refresh]);

  useEffect(() => {
    if (ended) return;
    const every = connection.status === "connected" ? CONNECTED_POLL_MS : POLL_MS;
    const timer = setInterval(() => document.visibilityState === "visible" && void refresh(), every);
    const onVisible = () => document.visibilityState === "visible" && void refresh();
    document.addEventListener("visibilitychange", onVisible);
    return () => (clearInterval(timer), document.removeEventListener("visibilitychange", onVisible));
  }, [connection.status, ended, refresh]);

  function openSetup() {
    // Opened now, while the click still counts as the person's: a tab opened after the server
    // answers would be blocked as a pop-up. It gets no handle on this page.
    const tab = window.open("about:blank", "_blank");
    if (tab) tab.opener = null;
    startOpening(async () => {
      const form = new FormData();
      form.set("endUserId", endUserId);
      const result = await openSetupAction(idle, form);
      if (result.status !== "success" || !result.link) {
        tab?.close();
        return setOpenState(result);
      }
      if (tab) tab.location.href = result.link;
      // Without a tab (a pop-up blocker said no), the link is the way to the setup.
      const said = tab ? "The setup opened in a new tab." : "Your browser did not let this page open a new tab.";
      setOpenState({ ...result, message: `${said} ${result.message}` });
      setOpenBlocked(!tab);
    });
  }

  const hidden = <input type="hidden" name="endUserId" value={endUserId} />;
  const checkLabel = connection.status === "needs_attention" ? "Check again" : LABELS.check.idle;
  // A setup completed but not answering is fixed at that computer, then checked: the check is the
  // main action, and opening the setup again (a second Web Connector connection) is not. The
  // buttons keep their places, so the one pressed keeps the focus when the status changes.
  const setupDone = connection.status === "in_progress" || connection.status === "needs_attention";
  return (
    <div className="card" data-testid="connection">
      <p role="status" aria-live="polite" data-testid="connection-status">
        <ConnectionBadge status={connection.status} /> {describeStatus(connection.status, reader)}
      </p>
      {/* Conductor's advice completes the status line ("Only someone at that computer can fix it:"). */}
      {connection.status === "needs_attention" && connection.message && (
        // The customer's pages keep no details row: the advice carries the check's id, for support.
        <Notice
          tone="warn"
          testId="connection-message"
          conductorRequestId={showDetails ? undefined : connection.conductorRequestId}
        >
          {connection.message}
        </Notice>
      )}
      {ended && (
        <Notice tone="warn" testId="connection-ended">
          {ended}
        </Notice>
      )}
      {stale && !ended && (
        <Notice tone="info" testId="connection-stale" conductorRequestId={stale.conductorRequestId}>
          {stale.notice}
        </Notice>
      )}
      {/* How old the status is: the page was rendered from the cache, and the last check may be old. */}
      <dl className="facts" data-testid="connection-facts">
        {syncedAt && (
          <>
            <dt>Read from Conductor</dt>
            <dd data-testid="connection-read-at">{formatTimestamp(syncedAt)}</dd>
          </>
        )}
        <dt>Last health check</dt>
        <dd>{lastCheckText(connection, answeredAt)}</dd>
        {showDetails && (
          <>
            <dt>Conductor request id</dt>
            <dd className="mono">{connection.conductorRequestId ?? "none"}</dd>
          </>
        )}
      </dl>
      <span id={newTabNote} hidden>
        Opens in a new tab.
      </span>
      <div className="actions" ref={buttons}>
        {actions.includes("open") && (
          <BusyButton
            type="button"
            data-action="open"
            className={setupDone ? "needs-js secondary" : "needs-js"}
            onClick={() => (remember("open"), openSetup())}
            busy={opening}
            aria-describedby={newTabNote}
          >
            {opening ? LABELS.open.pending : connection.status === "connected" ? "Reconnect" : LABELS.open.idle}
          </BusyButton>
        )}
        {actions.includes("email") && (
          <form action={email}>
            {hidden}
            <BusyButton
              type="submit"
              data-action="email"
              className="secondary"
              busy={emailing}
              onClick={() => remember("email")}
            >
              {emailing ? LABELS.email.pending : emailLabel}
            </BusyButton>
          </form>
        )}
        {actions.includes("check") && (
          <form action={check}>
            {hidden}
            <BusyButton
              type="submit"
              data-action="check"
              className={setupDone ? undefined : "secondary"}
              busy={checking}
              onClick={() => remember("check")}
            >
              {checking ? LABELS.check.pending : checkLabel}
            </BusyButton>
          </form>
        )}
      </div>
      {actions.includes("open") && (
        <noscript>
          <p className="hint" data-testid="connection-needs-script">
            Opening the setup here needs JavaScript, which is off in this browser. Use &ldquo;{emailLabel}&rdquo;
            instead, then &ldquo;{checkLabel}&rdquo; to see the status.
          </p>
        </noscript>
      )}
      <div aria-live="polite">
        {checking && (
          <p className="hint" data-testid="check-running">
            Asking QuickBooks Desktop through Conductor: this can take up to {checkSeconds} seconds.
          </p>
        )}
        {!superseded.includes(openState) && (
          <Outcome
            state={openState}
            linkLead={openBlocked ? "Use this link instead:" : undefined}
            newTabNote={newTabNote}
          />
        )}
        {!superseded.includes(emailState) && <Outcome state={emailState} />}
        {!superseded.includes(checkState) && <Outcome state={checkState} />}
        {lostCall.lost && [openState, emailState, checkState].every((state) => state === idle) && (
          <LostCallNotice>
            We could not reach the server, or its answer did not arrive: what you asked for may or may not have been
            done. Try again.
          </LostCallNotice>
        )}
      </div>
    </div>
  );
}
