"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { signInAgainHref } from "@/app/_components/sign-in-again";
import type { Connection } from "@/lib/model/connection";
import { CONNECTED_POLL_MS, CONNECTION_POLL_MS as POLL_MS } from "@/lib/model/connection-pace";
import { lastQuickBooksAnswer } from "@/lib/model/connection-status";
import { idle, type FormState } from "@/lib/web/actions/form-state";

/**
 * After this panel opened or emailed the setup, as often as before connecting whatever the status,
 * for half an hour (the life of a link opened from the page; an emailed one lives longer, and is
 * then followed at the connected pace): a reconnect changes the status on another tab or
 * computer, and this page should say so while its customer is waiting.
 */
const SETUP_WATCH_MS = 30 * 60_000;

/** Answers after which the panel no longer stands for anything the caller may act on. */
const ENDED: Record<number, string> = {
  401: "Your session has ended. Sign in again to see this connection.",
  404: "This company is no longer available to this session: it was removed, or another account signed in here.",
  410: "This company was offboarded: its Conductor account and QuickBooks Desktop connection are gone.",
};

/** Why the status shown may be old: the server's notice (the cached copy), or why it could not be read. */
export type Stale = { notice: string; conductorRequestId?: string };

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

type LiveConnectionProps = {
  endUserId: string;
  initial: Connection;
  /** When QuickBooks Desktop last answered through Conductor, as the page was rendered. */
  initialAnsweredAt: Date | null;
  /** When the page's copy was read from Conductor. */
  initialSyncedAt?: Date;
  /** How recent a cached copy answers a poll instead of Conductor (CONDUCTOR_READ_FRESH_SECONDS). */
  freshSeconds: number;
  /** The outcomes on screen (the panel's actions'), which a change of status makes old news. */
  outcomes: FormState[];
};

/**
 * An end-user's connection as Conductor has it, read again every few seconds while the page is
 * visible and it is not connected (every half minute once it is, unless `watchSetup` was called
 * in the last half hour), and `refresh` to read it now.
 * A read's answer also says which of the outcomes on screen it made old news (`superseded`).
 */
export function useLiveConnection({
  endUserId,
  initial,
  initialAnsweredAt,
  initialSyncedAt,
  freshSeconds,
  outcomes,
}: LiveConnectionProps) {
  const router = useRouter();
  const [connection, setConnection] = useState(initial);
  const [answeredAt, setAnsweredAt] = useState(initialAnsweredAt);
  const [syncedAt, setSyncedAt] = useState(initialSyncedAt);
  const [superseded, setSuperseded] = useState<FormState[]>([]);
  const [stale, setStale] = useState<Stale | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const [watchUntil, setWatchUntil] = useState(0);
  const watchSetup = useCallback(() => setWatchUntil(Date.now() + SETUP_WATCH_MS), []);
  const shown = useRef(initial.status);
  const shownCheck = useRef(initial.checkedAt?.valueOf() ?? null);
  const onScreen = useRef(outcomes);
  useEffect(() => {
    onScreen.current = outcomes;
  });
  // Reads can answer out of order (one waits on Conductor while a later one is served from the
  // cache): an answer older than one already applied would put an old status back on screen.
  const reads = useRef({ started: 0, applied: 0 });

  const refresh = useCallback(async () => {
    // Only what was on screen when this read began can be old news by its answer: an outcome
    // that arrived meanwhile (a check's, while a poll waited on Conductor) is newer than it.
    const shownBefore = onScreen.current;
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
      // An answer cut off on the way is not news: the page keeps what it knew, as when unreachable.
      ((await response.json().catch(() => null)) as {
        endUser: { connection: RawConnection; integrationConnections: RawAnsweringConnection[]; syncedAt: string };
        notice?: string;
        conductorRequestId?: string;
      } | null);
    if (!newest()) return;
    if (failure) return setStale(failure);
    if (response?.ok && !body) return setStale({ notice: UNREACHABLE });
    if (ended) {
      // Signed out, offboarded or another account signed in elsewhere: say so, and let the page as
      // the server renders it now follow (another end-user's page mounts a panel of its own).
      setEnded(ended);
      // Signed out in another tab of this browser: the server would send this tab to sign in
      // without a word, as its cookie is gone too. A whole page load, so that the header (the
      // layout, which a client navigation keeps) stops naming the person who signed out.
      if (response.status === 401) window.location.replace(signInAgainHref(window.location.pathname));
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
    // than the check found (whichever read brings that status first) or a later check, any other
    // outcome once the status changes. Old news stays so: a status that comes back does not make
    // it news again.
    const changed = next.status !== shown.current;
    const old = shownBefore.filter((outcome) => {
      if (outcome === idle) return false;
      if (outcome.status !== "success" || !outcome.found) return changed;
      const checkedSince = next.checkedAt && outcome.checkedAt && next.checkedAt > new Date(outcome.checkedAt);
      return outcome.found !== next.status || Boolean(checkedSince);
    });
    setSuperseded((before) => {
      const added = old.filter((outcome) => !before.includes(outcome));
      return added.length ? [...before, ...added] : before;
    });
    // The rest of the page (its connections table, its Activity) follows a change of status, and a
    // check run elsewhere that found the same one (what led to it, a setup link emailed, say, is news).
    const checkedAgain = (next.checkedAt?.valueOf() ?? null) !== shownCheck.current;
    if (changed || checkedAgain) router.refresh();
    shown.current = next.status;
    shownCheck.current = next.checkedAt?.valueOf() ?? null;
  }, [endUserId, freshSeconds, router]);

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
    const watchLeft = watchUntil - Date.now();
    const every = connection.status === "connected" && watchLeft <= 0 ? CONNECTED_POLL_MS : POLL_MS;
    const timer = setInterval(() => document.visibilityState === "visible" && void refresh(), every);
    const watchEnds = watchLeft > 0 ? setTimeout(() => setWatchUntil(0), watchLeft) : undefined;
    const onVisible = () => document.visibilityState === "visible" && void refresh();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      clearTimeout(watchEnds);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [connection.status, ended, refresh, watchUntil]);

  return { connection, answeredAt, syncedAt, stale, ended, superseded, refresh, watchSetup };
}
