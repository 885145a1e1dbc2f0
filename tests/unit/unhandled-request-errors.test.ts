/**
 * What Next.js caught itself reaches the one logger, under the digest the error page shows as
 * its reference: with the cause's stack for a defect, with only the code for our own errors.
 */
import { describe, expect, it, vi } from "vitest";
import { onRequestError } from "@/instrumentation";
import { AppError } from "@/lib/platform/errors/app-error";

const request = { path: "/end-users?q=someone%40example.com", method: "GET", headers: { cookie: "secret" } };
const context = {
  routerKind: "App Router",
  routePath: "/end-users",
  routeType: "render",
  revalidateReason: undefined,
} as const;

async function loggedLines(error: unknown): Promise<Record<string, unknown>[]> {
  const lines: unknown[] = [];
  const error_ = vi.spyOn(console, "error").mockImplementation((line) => lines.push(line));
  const warn = vi.spyOn(console, "warn").mockImplementation((line) => lines.push(line));
  try {
    await onRequestError(error, request, context);
  } finally {
    error_.mockRestore();
    warn.mockRestore();
  }
  return lines.map((line) => JSON.parse(String(line)) as Record<string, unknown>);
}

describe("onRequestError", () => {
  it("logs a defect with its digest, name, message and stack, and the path without its query or headers", async () => {
    const defect = Object.assign(new TypeError("Cannot read properties of undefined (reading 'id')"), {
      digest: "1234",
    });
    const lines = await loggedLines(defect);
    expect(lines).toEqual([
      expect.objectContaining({
        level: "error",
        event: "request.unhandled",
        digest: "1234",
        method: "GET",
        path: "/end-users",
        routePath: "/end-users",
        routeType: "render",
        name: "TypeError",
        message: defect.message,
        stack: defect.stack,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/someone|secret/);
  });

  it("logs one of our own errors as a warning with its code and no stack", async () => {
    const lines = await loggedLines(Object.assign(new AppError("database_unavailable"), { digest: "5678" }));
    expect(lines).toEqual([
      expect.objectContaining({
        level: "warn",
        event: "request.unhandled",
        digest: "5678",
        code: "database_unavailable",
      }),
    ]);
    expect(lines[0]).not.toHaveProperty("stack");
  });
});
