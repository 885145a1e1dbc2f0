/**
 * The rate limiter's Redis is killed under a running app: sign-in and the lookup keep working
 * under per-instance limits (still refusing beyond the limit), /api/health names the store, one
 * warning is logged for the whole outage, and shared counting resumes when Redis is back.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { h } from "../support/harness";
import { awayFromWindowEdge } from "../support/rate-windows";

const LIMIT = 4;

describe("Redis killed under the rate limiter", () => {
  it("keeps sign-in and lookups up under per-instance limits, names the store, and resumes on Redis when it returns", async () => {
    const redis = await h.own.redis();
    const token = `svc_${randomBytes(24).toString("hex")}`;
    const app = await h.startApp({
      REDIS_URL: redis.url,
      LOOKUP_API_TOKENS: token,
      LOOKUP_RATE_LIMIT_PER_MINUTE: String(LIMIT),
    });
    const lookup = () =>
      fetch(`${app.origin}/api/end-users/lookup?sourceId=nobody`, { headers: { authorization: `Bearer ${token}` } });
    expect((await h.health(app.origin)).body.parts.rateLimitStore).toEqual({ status: "ok", store: "redis" });

    await redis.kill();
    await awayFromWindowEdge();

    const health = await h.health(app.origin);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      ok: false,
      down: ["rateLimitStore"],
      parts: { database: { status: "ok" }, rateLimitStore: { status: "unavailable", store: "redis" } },
    });
    expect(JSON.stringify(health.body)).not.toContain("redis://");

    const email = h.uniqueEmail("redis-down");
    const client = await h.signIn(email, app.origin);
    expect(client.signedIn).toBe(true);

    // The limit still holds, counted by this instance alone.
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) statuses.push((await lookup()).status);
    expect(statuses).toEqual([...Array(LIMIT).fill(404), 429, 429]);
    const refused = await lookup();
    expect((await refused.json()).error.code).toBe("rate_limited");
    expect(h.logLines(app, "rate_limit.store_unavailable")).toHaveLength(1);

    await redis.start();
    await h.until("/api/health to see Redis again", async () => (await h.health(app.origin)).body.ok);
    await h.until("the limiter to count in Redis again", async () => {
      await (await lookup()).body?.cancel();
      return h.logLines(app, "rate_limit.store_recovered").length === 1;
    });
    expect(h.logLines(app, "rate_limit.store_unavailable")).toHaveLength(1);
    expect((await h.signIn(h.uniqueEmail("redis-back"), app.origin)).signedIn).toBe(true);
  });
});
