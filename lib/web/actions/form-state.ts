import type { ErrorCode } from "@/lib/platform/errors/codes";

/** What a form shows after its action ran (next-learn's `{message, errors}` shape, with the error code). */
export type FormState =
  | { status: "idle" }
  | { status: "success"; message: string; link?: string }
  | {
      status: "error";
      code: ErrorCode;
      message: string;
      fields?: Record<string, string[]>;
      conductorRequestId?: string;
    };

export const idle: FormState = { status: "idle" };
