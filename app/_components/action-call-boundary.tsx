"use client";

import { Component, createContext, Fragment, useContext, type ReactNode } from "react";
import type { SentFields } from "@/lib/web/actions/form-state";
import { Notice } from "./notice";

/**
 * What a call to a server action throws when it did not come back: the browser's fetch failing
 * (Chromium, Firefox and Safari each say it their way), or Next.js finding an answer that is not
 * one (cut off, or a proxy's error page).
 */
const UNREACHED = /Failed to fetch|NetworkError|Load failed|unexpected response was received from the server/i;
export const isUnreached = (error: unknown) => error instanceof Error && UNREACHED.test(error.message);

type LostCall = {
  /** A call did not come back: the form was shown again. */
  lost: boolean;
  /** What that call sent, as the form last remembered it. */
  sent?: SentFields;
  remember: (fields: SentFields) => void;
};

const LostCallContext = createContext<LostCall>({ lost: false, remember: () => {} });

/** Inside an ActionCallBoundary: whether a call was lost, and where to remember what a submit sends. */
export const useLostCall = () => useContext(LostCallContext);

type Props = { children: ReactNode };
type State = { fatal?: unknown; lostAt?: number };

/**
 * Around forms whose server actions the browser calls. A call that never came back would reach the
 * page's error boundary and take the page, and what was typed, with it; here the forms are shown
 * again, and can show what was sent and say (`LostCallNotice`) that whether the server acted is
 * not known. Any other error goes on up.
 */
export class ActionCallBoundary extends Component<Props, State> {
  override state: State = {};
  private sent?: SentFields;
  private readonly remember = (fields: SentFields) => {
    this.sent = fields;
  };

  static getDerivedStateFromError(error: unknown): State {
    return isUnreached(error) ? { lostAt: Date.now() } : { fatal: error };
  }

  override render() {
    const { fatal, lostAt } = this.state;
    if (fatal) throw fatal;
    const lost = lostAt !== undefined;
    return (
      <LostCallContext.Provider value={{ lost, sent: lost ? this.sent : undefined, remember: this.remember }}>
        {/* A new key: the forms start afresh, with nothing pending. */}
        <Fragment key={lostAt ?? 0}>{this.props.children}</Fragment>
      </LostCallContext.Provider>
    );
  }
}

/** Said where the form's own outcome goes, until its next submit has one (`live` as for `Notice`). */
export function LostCallNotice({ children, live }: { children: ReactNode; live?: boolean }) {
  return (
    <Notice tone="error" testId="action-call-lost" live={live}>
      {children}
    </Notice>
  );
}
