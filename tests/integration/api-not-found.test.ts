import { readFileSync } from "node:fs";
import http from "node:http";
import { describe, expect, it } from "vitest";
import { h } from "../support/harness";

describe("a path under /api that no route serves", () => {
  it.each(["GET", "POST", "DELETE"])("answers %s with 404 in the error envelope, not the HTML page", async (method) => {
    const response = await h.client().fetch("/api/end-users/end_usr_x/no-such-thing", { method });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect((await response.json()).error.code).toBe("not_found");
  });
});

describe("a method a route does not take", () => {
  it.each([
    ["PATCH", "/api/end-users", "GET, HEAD, POST, OPTIONS"],
    ["DELETE", "/api/end-users/lookup?sourceId=x", "GET, HEAD, OPTIONS"],
    ["GET", "/api/end-users/end_usr_abc/auth-sessions", "POST, OPTIONS"],
    ["POST", "/api/health", "GET, HEAD, OPTIONS"],
    ["PUT", "/api/auth/session", "GET, HEAD, POST, OPTIONS"],
  ])("answers %s %s with 405 in the error envelope, saying what it allows", async (method, path, allow) => {
    const before = await h.writes();
    const response = await h.client().fetch(path, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")?.split(", ").sort()).toEqual(allow.split(", ").sort());
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect((await response.json()).error.code).toBe("method_not_allowed");
    expect(await h.writes()).toEqual(before);
  });

  it("refuses HEAD on the reconcile job's route, with the cron secret too, instead of running the job", async () => {
    const before = await h.writes();
    const response = await h.client().fetch("/api/cron/reconcile", {
      method: "HEAD",
      headers: { authorization: `Bearer ${h.stack.cronSecret}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, OPTIONS");
    expect(await h.writes()).toEqual(before);
  });

  it.each([
    ["/api/cron/reconcile", "GET, OPTIONS"],
    ["/api/end-users", "GET, HEAD, POST, OPTIONS"],
    ["/api/end-users/end_usr_abc/auth-sessions", "POST, OPTIONS"],
    ["/api/auth/session", "GET, HEAD, POST, OPTIONS"],
  ])("answers OPTIONS %s with 204 and the same Allow as its 405", async (path, allow) => {
    const response = await h.client().fetch(path, { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")?.split(", ").sort()).toEqual(allow.split(", ").sort());
  });
});

/** A request fetch cannot send (it refuses TRACE, and methods it does not know): status, headers and body as answered. */
function rawRequest(method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const request = http.request(new URL(path, h.stack.appOrigin), { method, headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

describe("a method no route takes", () => {
  it.each([
    ["TRACE", "/api/cron/reconcile"],
    ["TRACE", "/"],
    ["LOCK", "/api/end-users/lookup?sourceId=x"],
    ["PROPFIND", "/audit"],
    ["MKCOL", "/api/audit"],
  ])("answers %s %s with 501 in the error envelope, runs nothing and logs no stack trace", async (method, path) => {
    const before = await h.writes();
    const response = await rawRequest(method, path, { authorization: `Bearer ${h.stack.cronSecret}` });
    expect(response.status).toBe(501);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(JSON.parse(response.body)).toEqual({
      error: { code: "method_not_implemented", message: `This server does not take ${method} requests.` },
    });
    expect(await h.writes()).toEqual(before);
    await h.client().fetch("/api/health");
    expect(readFileSync(h.stack.appLogFile, "utf8")).not.toContain("HTTP method is unsupported");
  });
});

describe("next-auth's client log endpoint", () => {
  it.each(["GET", "POST"])(
    "answers %s /api/auth/_log with 404 in the error envelope and writes nothing a caller sends to the server log",
    async (method) => {
      const marker = `forged-log-line-${method}-${Date.now()}`;
      const response = await h.client().fetch("/api/auth/_log", {
        method,
        ...(method === "POST"
          ? {
              headers: { "content-type": "application/x-www-form-urlencoded" },
              body: new URLSearchParams({ level: "error", code: "SESSION_ERROR", message: marker }).toString(),
            }
          : {}),
      });
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe("not_found");
      // The app writes its log as it goes: a line written for this request is there by now.
      await h.client().fetch("/api/health");
      expect(readFileSync(h.stack.appLogFile, "utf8")).not.toContain(marker);
    },
  );
});
