import type { ReactNode } from "react";
import type { ConnectionStatus } from "@/lib/model/connection";
import type { ErrorCode } from "@/lib/platform/errors/codes";

/** A form's text fields by name, as a form of ours hands them to its action (app/_components/submit-fields.ts). */
export type SentFields = Record<string, string>;

/** What a form shows after its action ran (next-learn's `{message, errors}` shape, with the error code). */
export type FormState =
  | { status: "idle" }
  /**
   * `next`: what the page shows next, rendered by the action, in place of the form. `tone`: for
   * an action that worked but found bad news (a check that could not reach QuickBooks Desktop).
   * `found`: the connection status a check found, which its message stays news for.
   */
  | {
      status: "success";
      message: string;
      link?: string;
      next?: ReactNode;
      tone?: "info" | "warn";
      found?: ConnectionStatus;
      /** When that check ran (ISO): a later check makes its message old news. */
      checkedAt?: string;
    }
  | {
      status: "error";
      code: ErrorCode;
      message: string;
      fields?: Record<string, string[]>;
      conductorRequestId?: string;
      /** For a spent budget of ours, how long its refusal says to wait: once that time has passed, it no longer holds. */
      retryAfterSeconds?: number;
      /** What was sent, so the form can show it again: React empties a form once its action ends. */
      values?: SentFields;
    };

export const idle: FormState = { status: "idle" };

/** The text last sent in `field` when that submit failed: the field's value to show again. */
export const sentValue = (state: FormState, field: string): string | undefined =>
  state.status === "error" ? state.values?.[field] : undefined;
