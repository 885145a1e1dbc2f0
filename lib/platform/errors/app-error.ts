import { VENDOR_NAMES, type Vendor } from "@/lib/platform/vendors";
import { clipped, errorCodes, type ErrorCode } from "./codes";
import type { ErrorEnvelope } from "./envelope";

export type AppErrorDetails = {
  /** Field name → messages, for input errors. */
  fields?: Record<string, string[]>;
  /** Which upstream failed, and how it described the failure (never its raw body). */
  provider?: Vendor;
  upstreamStatus?: number;
  upstreamType?: string;
  upstreamCode?: string;
  /** The upstream's own message meant for the person using the app, when it gave one. */
  userFacingMessage?: string;
  /** The upstream's explanation worked into the message (clipped), for saying it elsewhere (beside a field). */
  upstreamDetail?: string;
  conductorRequestId?: string;
  retryAfterSeconds?: number;
  /** The request was never sent (no time was left for it): the upstream did nothing. */
  notSent?: boolean;
  /** The work may have been done all the same (an email the server did not confirm): its budget stays spent. */
  keepsBudget?: boolean;
};

const BRAND = Symbol.for("conductor-onboarding.AppError");

/**
 * The one error type the app raises on purpose; anything else is reported as internal_error.
 * `instanceof AppError` checks a brand rather than the prototype: Next.js bundles this module
 * into several server chunks, and an error raised by one chunk's copy must still be recognised
 * by another's.
 */
export class AppError extends Error {
  readonly [BRAND] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [BRAND]?: boolean })[BRAND] === true;
  }

  constructor(
    readonly code: ErrorCode,
    message: string = errorCodes[code].message,
    readonly details: AppErrorDetails = {},
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  static invalid(fields: Record<string, string[]>, message?: string): AppError {
    const names = Object.keys(fields);
    return new AppError("invalid_request", message ?? `Invalid ${names.join(", ") || "request"}.`, { fields });
  }

  /** A failure of an upstream API, worded by the error table (with the API's explanation, if any). */
  static upstream(
    code: ErrorCode,
    provider: Vendor,
    details: Omit<AppErrorDetails, "provider"> & { detail?: string } = {},
  ) {
    const { detail, ...rest } = details;
    const entry: { message: string; upstream?: (name: string, detail?: string) => string } = errorCodes[code];
    const message = entry.upstream ? entry.upstream(VENDOR_NAMES[provider], detail) : entry.message;
    return new AppError(code, message, { provider, ...rest, ...(detail ? { upstreamDetail: clipped(detail) } : {}) });
  }

  /** The body every HTTP error answers with. */
  toBody(): ErrorEnvelope {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details.fields ? { fields: this.details.fields } : {}),
        ...(this.details.conductorRequestId ? { conductorRequestId: this.details.conductorRequestId } : {}),
      },
    };
  }
}
