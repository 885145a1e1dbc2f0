"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useId, useRef, useState, useTransition } from "react";
import { BusyButton } from "@/app/_components/busy-button";
import { FormOutcome } from "@/app/_components/form-outcome";
import { ActionCallBoundary, LostCallNotice, useLostCall } from "@/app/_components/action-call-boundary";
import { Notice } from "@/app/_components/notice";
import type { Connection } from "@/lib/model/connection";
import { formatTimestamp } from "@/lib/platform/format";
import { idle, type FormState } from "@/lib/web/actions/form-state";
import { checkConnectionAction, openSetupAction, sendConnectLinkAction } from "./actions";
import { ConnectionBadge } from "./connection-badge";
import { useLiveConnection } from "./use-live-connection";
import { adviceOf, describeStatus, type Reader } from "./wording";

type Action = "open" | "email" | "check";

const LABELS: Record<Action, { idle: string; pending: string }> = {
  open: { idle: "Open the setup", pending: "Opening…" },
  email: { idle: "Email me this link", pending: "Sending…" },
  check: { idle: "Check now", pending: "Checking…" },
};

/** The last action's outcome; with the setup's, a link to it (`linkLead` says why). */
function Outcome({
  state,
  again,
  linkLead = "Nothing opened?",
  newTabNote,
}: {
  state: FormState;
  again: string;
  linkLead?: string;
  /** The id of the note that says the setup opens in a new tab. */
  newTabNote?: string;
}) {
  return (
    <FormOutcome state={state} live={false} again={again}>
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

/**
 * Which of the buttons answered last (null before any did). A page answering a post made without
 * JavaScript starts with that one answer.
 */
function useNewestOutcome<A extends Action>(outcomes: Record<A, FormState>): A | null {
  const [seen, setSeen] = useState(() => ({
    outcomes,
    newest: (Object.keys(outcomes) as A[]).find((action) => outcomes[action] !== idle) ?? null,
  }));
  const changed = (Object.keys(outcomes) as A[]).find((action) => outcomes[action] !== seen.outcomes[action]);
  // Noted while rendering (React's pattern for what changed since the last render), so that the
  // older refusal is never drawn beside the newer answer, not even for one frame.
  if (changed) setSeen({ outcomes, newest: changed });
  return changed ?? seen.newest;
}

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
  /**
   * The page's own address, where the panel is also drawn in a Suspense fallback (the cached copy
   * shown while Conductor is asked): a form posted without JavaScript from either copy finds its
   * outcome in whichever copy the answer renders, as React then matches it by this address rather
   * than by the panel's place in the tree.
   */
  permalink?: string;
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
  permalink,
}: PanelProps) {
  const router = useRouter();
  const newTabNote = useId();
  const reconnectNote = useId();
  const lostCall = useLostCall();
  // A call that did not come back shows the panel afresh: the button pressed takes the focus again.
  const buttons = useRef<HTMLDivElement>(null);
  const remember = (action: Action) => lostCall.remember({ pressed: action });
  const pressedBeforeLoss = lostCall.lost ? lostCall.sent?.pressed : undefined;
  useEffect(() => {
    if (pressedBeforeLoss) buttons.current?.querySelector<HTMLElement>(`[data-action="${pressedBeforeLoss}"]`)?.focus();
  }, [pressedBeforeLoss]);
  const [openState, setOpenState] = useState<FormState>(idle);
  const [openBlocked, setOpenBlocked] = useState(false);
  const [opening, startOpening] = useTransition();
  const [emailState, email, emailing] = useActionState(sendConnectLinkAction, idle, permalink);
  // The server action itself, so that the check also works before (or without) JavaScript: the
  // page the server answers with shows its outcome and the status it found.
  const [checkState, check, checking] = useActionState(checkConnectionAction, idle, permalink);
  // Once the status changes, what "Open the setup", "Email me this link" and the last check said about it is old news.
  const { connection, answeredAt, syncedAt, stale, ended, superseded, refresh, watchSetup } = useLiveConnection({
    endUserId,
    initial,
    initialAnsweredAt,
    initialSyncedAt,
    freshSeconds,
    outcomes: [openState, emailState, checkState],
  });
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
  // A setup under way (a reconnect too) changes the status elsewhere: this panel follows it closely
  // from each setup opened or emailed (not again when the other button's outcome changes).
  useEffect(() => {
    if (openState.status === "success") watchSetup();
  }, [openState, watchSetup]);
  useEffect(() => {
    if (emailState.status === "success") watchSetup();
  }, [emailState, watchSetup]);

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

  // A refusal speaks of the last thing tried: once another button answers, it (or the note that
  // its wait is over) would sit beside that answer, saying something of its own.
  const newest = useNewestOutcome({ open: openState, email: emailState, check: checkState });
  // Opening the setup here and emailing its link are two ways to one setup: the later one's note,
  // once it succeeded, replaces the earlier one's (whose link may be the setup since cancelled). A
  // way that failed leaves the other's, still the way to the setup.
  const ways = { open: openState, email: emailState };
  const newestWay = useNewestOutcome(ways);
  const shown = (state: FormState, action: Action) =>
    !superseded.includes(state) &&
    (state.status !== "error" || newest === action) &&
    (action === "check" || newestWay === null || newestWay === action || ways[newestWay].status !== "success");

  const hidden = <input type="hidden" name="endUserId" value={endUserId} />;
  const checkLabel = connection.status === "needs_attention" ? "Check again" : LABELS.check.idle;
  // A setup completed but not answering is fixed at that computer, then checked: the check is the
  // main action, and opening the setup again (a second Web Connector connection) is not. The
  // buttons keep their places, so the one pressed keeps the focus when the status changes.
  const setupDone = connection.status === "in_progress" || connection.status === "needs_attention";
  // Offboarded or out of this session's reach: no status, facts or actions stand beside the notice
  // that says so (the page the server renders now follows).
  const offboardedMeanwhile = [openState, emailState, checkState].some(
    (state) => state.status === "error" && state.code === "end_user_deleted",
  );
  const over = ended !== null || offboardedMeanwhile;
  const advice = adviceOf(connection);
  // A link sent to a connected customer would read as a request to set it up again: say when one is needed.
  const reconnecting = connection.status === "connected" && (actions.includes("open") || actions.includes("email"));
  const alsoReconnect = (id?: string) =>
    [id, reconnecting ? reconnectNote : undefined].filter(Boolean).join(" ") || undefined;
  return (
    <div className="card" data-testid="connection">
      {!over && (
        <>
          {/* One live region: Conductor's advice completes the status line ("Only someone at the Windows computer that runs it can fix this:"). */}
          <div role="status" aria-live="polite">
            <p data-testid="connection-status">
              <ConnectionBadge status={connection.status} />
              <span className="visually-hidden">.</span> {describeStatus(connection.status, reader)}
            </p>
            {advice && (
              // The customer's pages keep no details row: the advice carries the check's id, for support.
              <Notice
                tone="warn"
                testId="connection-message"
                conductorRequestId={showDetails ? undefined : connection.conductorRequestId}
                live={false}
              >
                {advice}
              </Notice>
            )}
          </div>
        </>
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
      {!over && (
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
              <dt>Last health check&rsquo;s Conductor request id</dt>
              <dd className="mono">{connection.conductorRequestId ?? "none"}</dd>
            </>
          )}
        </dl>
      )}
      <span id={newTabNote} hidden>
        Opens in a new tab.
      </span>
      <div className="actions" ref={buttons} hidden={over}>
        {actions.includes("open") && (
          <BusyButton
            type="button"
            data-action="open"
            className={setupDone ? "needs-js secondary" : "needs-js"}
            onClick={() => (remember("open"), openSetup())}
            busy={opening}
            aria-describedby={alsoReconnect(newTabNote)}
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
              aria-describedby={alsoReconnect()}
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
      {reconnecting && !over && (
        <p className="hint" id={reconnectNote} data-testid="reconnect-note">
          Already connected: a new setup is needed only for another Windows computer or company file.
        </p>
      )}
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
        {!ended && shown(openState, "open") && (
          <Outcome
            state={openState}
            again="open the setup again"
            linkLead={openBlocked ? "Use this link instead:" : undefined}
            newTabNote={newTabNote}
          />
        )}
        {!ended && shown(emailState, "email") && <Outcome state={emailState} again="send the link again" />}
        {!ended && shown(checkState, "check") && <Outcome state={checkState} again="check again" />}
        {lostCall.lost && [openState, emailState, checkState].every((state) => state === idle) && (
          <LostCallNotice live={false}>
            We could not reach the server, or its answer did not arrive: what you asked for may or may not have been
            done. Try again.
          </LostCallNotice>
        )}
      </div>
    </div>
  );
}
