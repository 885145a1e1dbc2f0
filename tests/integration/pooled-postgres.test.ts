/**
 * The app as a serverless deployment runs it: every query through a transaction-mode PgBouncer
 * (DATABASE_URL), migrations over the direct URL (DATABASE_URL_UNPOOLED). The pooler keeps no
 * prepared statement between transactions, and each test checks that its traffic really went
 * through it.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrations";
import { h } from "../support/harness";

type PooledApp = Awaited<ReturnType<typeof h.startPooledApp>>;

const lookup = (origin: string, query: string, token: string, ip = "198.51.100.7") =>
  h.fetch(`${origin}/api/end-users/lookup?${query}`, {
    headers: { authorization: `Bearer ${token}`, "x-real-ip": ip },
  });

async function wentThroughPooler(pooled: PooledApp, before: number) {
  expect(await pooled.transactions()).toBeGreaterThan(before);
}

beforeEach(() => h.emulator.disarm());
afterEach(() => h.emulator.disarm());

describe("behind a transaction-mode pooler", () => {
  it("migrates a new database over the direct URL, sending nothing through the pooled one", async () => {
    const pooler = await h.startPooler();
    const fresh = await h.freshDatabase("pooled_migrate");
    const { code, output } = await h.runMigrateCli({
      DATABASE_URL: pooler.pooled(fresh.url),
      DATABASE_URL_UNPOOLED: fresh.url,
    });
    expect(code, output).toBe(0);
    expect(output).toMatch(/^applied: \S+/m);
    const migrations = readdirSync("prisma/migrations", { withFileTypes: true }).filter((e) => e.isDirectory());
    const applied = await fresh.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
    );
    expect(applied[0]!.n).toBe(migrations.length);
    expect(await pooler.transactions(fresh.name)).toBe(0);
  });

  it("fails a migration through the pooled URL alone, naming the direct URL, instead of leaving Prisma's lock behind for every later migration", async () => {
    // PgBouncer's default: a server connection keeps a transaction's session state (the lock) for the next client.
    const pooler = await h.startPooler({ resetEachTransaction: false });
    const fresh = await h.freshDatabase("pooled_only_migrate");
    const { code, output } = await h.runMigrateCli({ DATABASE_URL: pooler.pooled(fresh.url) });
    expect(code, output).toBe(1);
    expect(output).toMatch(/migration lock is still held after the run/);
    expect(output).toMatch(/DATABASE_URL_UNPOOLED/);
    expect(output).toMatch(/pg_terminate_backend\(\d+\)/);

    // While the pooler keeps it, a direct migration fails at its lock timeout rather than waiting forever.
    await expect(applyMigrations(fresh.url, { lockTimeoutMs: 500 })).rejects.toThrow(/lock timeout/);
    await pooler.stop();
    expect(await applyMigrations(fresh.url)).toEqual([]);
  });

  it("migrates the database DATABASE_URL_UNPOOLED names when it is the only one given, not the embedded one", async () => {
    const fresh = await h.freshDatabase("unpooled_only");
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "migrate-unpooled-"));
    try {
      const { code, output } = await h.runMigrateCli({ DATABASE_URL_UNPOOLED: fresh.url, DATA_DIR: dataDir });
      expect(code, output).toBe(0);
      expect(output).not.toContain("embedded");
      const applied = await fresh.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
      expect(applied[0]!.n).toBeGreaterThan(0);
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("signs a customer in by emailed link, keeps the session in the database, and signs out by deleting it", async () => {
    const pooled = await h.startPooledApp();
    const before = await pooled.transactions();
    const email = h.uniqueEmail("pooled-signin");
    const { client, link } = await h.requestSignInLink(email, "/onboarding", pooled.app.origin);
    expect(new URL(link).origin).toBe(pooled.app.origin);
    expect((await h.followSignInLink(client, link)).status).toBe(302);
    const session = (await (await client.fetch("/api/auth/session")).json()) as { user: { email: string } };
    expect(session.user.email).toBe(email);
    expect((await client.fetch("/onboarding")).status).toBe(200);
    const sessions = `SELECT 1 FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1`;
    expect(await h.count(sessions, [email])).toBe(1);

    await h.actions.signOut(client);
    expect(await h.count(sessions, [email])).toBe(0);
    expect(await (await client.fetch("/api/auth/session")).json()).toEqual({});
    await wentThroughPooler(pooled, before);
  });

  it("50 concurrent submits for one customer send exactly 1 POST and cache exactly 1 end-user", async () => {
    const pooled = await h.startPooledApp();
    const before = await pooled.transactions();
    const email = h.uniqueEmail("pooled-race");
    const client = await h.signIn(email, pooled.app.origin);
    const id = await h.userIdFor(email);
    const since = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => client.json("/api/end-users", { companyName: "Pooled Race Inc." })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 200 || s === 409)).toBe(true);

    expect(await h.emulator.calls({ provider: "conductor", method: "POST", path: "/end-users", since })).toHaveLength(
      1,
    );
    expect(await h.cachedCount(id)).toBe(1);
    expect(await h.upstream(id)).toHaveLength(1);
    expect(await h.claim(id)).toMatchObject({ state: "DONE" });
    expect((await client.json("/api/end-users", { companyName: "Pooled Race Inc." })).status).toBe(200);
    await wentThroughPooler(pooled, before);
  });

  it("answers lookups although the pooler drops prepared statements, switching to unnamed statements once", async () => {
    const pooled = await h.startPooledApp();
    const before = await pooled.transactions();
    const sourceId = `pooled-lookup-${Date.now()}`;
    const id = `end_usr_pooled${randomBytes(6).toString("hex")}`;
    await h.sql(
      `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt")
       VALUES ($1, $2, 'Pooled Lookup Co', 'lookup@pooled.example', now(), now())`,
      [id, sourceId],
    );
    const token = h.stack.serviceTokens[0]!;
    for (let i = 0; i < 20; i++) {
      const bySource = await lookup(pooled.app.origin, `sourceId=${sourceId}`, token);
      expect(bySource.status).toBe(200);
      expect(await bySource.json()).toMatchObject({ id, sourceId, companyName: "Pooled Lookup Co" });
      const byId = await lookup(pooled.app.origin, `id=${id}`, token);
      expect(byId.status).toBe(200);
      expect(((await byId.json()) as { sourceId: string }).sourceId).toBe(sourceId);
    }
    expect((await lookup(pooled.app.origin, "sourceId=nobody-pooled", token)).status).toBe(404);
    expect(pooled.app.output().match(/db\.named_statements_off/g)).toHaveLength(1);
    await wentThroughPooler(pooled, before);
  });

  it("lists, pages and searches the cache for an operator", async () => {
    const pooled = await h.startPooledApp();
    const before = await pooled.transactions();
    const prefix = `pooled${Date.now()}`;
    await h.seedCachedEndUsers(prefix, 30);
    const operator = await h.signIn(h.stack.operatorEmail, pooled.app.origin);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `q=${prefix}&limit=7${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await operator.fetch(`/api/end-users?${query}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { data: { sourceId: string }[]; nextCursor: string | null };
      seen.push(...page.data.map((row) => row.sourceId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(seen[0]).toBe(`${prefix}-src-30`);

    const search = await operator.fetch(`/api/end-users?q=${encodeURIComponent(`Company ${prefix} 17`)}`);
    expect(((await search.json()) as { data: { sourceId: string }[] }).data.map((r) => r.sourceId)).toEqual([
      `${prefix}-src-17`,
    ]);
    const page = await operator.fetch(`/end-users?q=${prefix}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Company ${prefix} 30`);
    await wentThroughPooler(pooled, before);
  });

  it("refreshes the cache from Conductor's list, its whole transaction on one pooled connection", async () => {
    const pooled = await h.startPooledApp();
    const before = await pooled.transactions();
    const operator = await h.signIn(h.stack.operatorEmail, pooled.app.origin);
    const created = await h.conductor.endUsers.create({
      companyName: "Pooled Refresh Co",
      sourceId: `pooled-refresh-${Date.now()}`,
      email: "p@pooled-refresh.example",
    });
    const state = h.actions.formState((await h.actions.refresh(operator)).body);
    expect(state.status).toBe("success");
    expect(state.message).toMatch(/[1-9]\d* added/);
    expect(await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE "id" = $1`, [created.id])).toBe(1);
    expect(
      await h.count(`SELECT 1 FROM "AuditEvent" WHERE "endUserId" = $1 AND "action" = 'END_USER_CACHED'`, [created.id]),
    ).toBe(1);
    await wentThroughPooler(pooled, before);
  });

  it("holds a token's lookup budget and answers 429 with Retry-After beyond it", async () => {
    const limit = 5;
    const token = `svc_${randomBytes(24).toString("hex")}`;
    const pooled = await h.startPooledApp({ LOOKUP_API_TOKENS: token, LOOKUP_RATE_LIMIT_PER_MINUTE: String(limit) });
    const before = await pooled.transactions();
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoWindow + 250));
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < limit * 2; i++) {
      // A different client IP each time, so only the token's budget is in play.
      const response = await lookup(pooled.app.origin, "sourceId=nobody", token, `203.0.113.${i + 1}`);
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
      else await response.body?.cancel();
    }
    expect(statuses).toEqual([...Array(limit).fill(404), ...Array(limit).fill(429)]);
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await limited!.json()).error.code).toBe("rate_limited");
    await wentThroughPooler(pooled, before);
  });
});
