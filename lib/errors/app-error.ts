import { errorCodes, type ErrorCode } from "./codes";

export type Provider = "conductor" | "altur" | "dify";

export type AppErrorDetails = {
  /** Field name → messages, for input errors. */
  fields?: Record<string, string[]>;
  /** Which upstream failed, and how it described the failure (never its raw body). */
  provider?: Provider;
  upstreamStatus?: number;
  upstreamType?: string;
  upstreamCode?: string;
  conductorRequestId?: string;
  retryAfterSeconds?: number;
};

/** The one error type the app raises on purpose; anything else is reported as internal_error. */
export class AppError extends Error {
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

  /** The body every HTTP error answers with (PRODUCT.md). */
  toBody() {
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
