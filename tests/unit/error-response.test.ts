import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/platform/errors/app-error";
import { errorResponse, UPSTREAM_RETRY_AFTER_SECONDS } from "@/lib/web/http/error-response";

const request = new Request("http://app.test/api/end-users/end_usr_1/connection/check", { method: "POST" });

describe("errorResponse", () => {
  it("gives every 429 a Retry-After: the provider's own, else a default when it said nothing", () => {
    const said = AppError.upstream("upstream_rate_limited", "conductor", { upstreamStatus: 429, retryAfterSeconds: 7 });
    expect(errorResponse(said, request).headers.get("retry-after")).toBe("7");
    const silent = AppError.upstream("upstream_rate_limited", "conductor", { upstreamStatus: 429 });
    const response = errorResponse(silent, request);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe(String(UPSTREAM_RETRY_AFTER_SECONDS));
  });

  it("says nothing of retrying for other errors", () => {
    expect(errorResponse(new AppError("end_user_not_found"), request).headers.get("retry-after")).toBeNull();
  });
});
