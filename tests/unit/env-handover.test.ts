import { afterEach, describe, expect, it, vi } from "vitest";
import { validateAtStart } from "@/lib/platform/env-schema";
import { forgetSingleton } from "@/lib/platform/singleton";

afterEach(() => {
  forgetSingleton("platform.env.validated-at-start");
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("the environment validated at start", () => {
  it("is what every later import of lib/platform/env reads, without validating again", async () => {
    const started = validateAtStart({ PORT: "4321", ADMIN_EMAILS: "Ops@Example.com" }, [
      "node",
      "next",
      "start",
      "-H",
      "127.0.0.1",
    ]);
    // A variable that would not validate: a second parse would throw instead of reading the hand-over.
    vi.stubEnv("PORT", "not a port");
    vi.resetModules();
    const { env, modes } = await import("@/lib/platform/env");
    expect(env).toBe(started);
    expect(env).toMatchObject({ PORT: 4321, ADMIN_EMAILS: ["ops@example.com"] });
    expect(modes.authUrl).toBe("http://localhost:4321");
  });

  it("refuses a bad environment before anything is handed over", async () => {
    expect(() => validateAtStart({ PORT: "0" }, ["node", "next", "start", "-H", "127.0.0.1"])).toThrow(/PORT/);
    vi.stubEnv("PORT", "not a port");
    vi.resetModules();
    await expect(import("@/lib/platform/env")).rejects.toThrow(/Invalid environment configuration/);
  });
});
