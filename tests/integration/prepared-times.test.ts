/**
 * Single statements on the hot path (the rate-limit reservation, the onboarding claim, caching one
 * end-user) run as named prepared statements straight on the pool. node-postgres reads a
 * `timestamp` column in the process's time zone; these read the UTC Prisma stores, as Prisma does.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { db, Prisma } from "@/lib/db/client";
import { recordAudit } from "@/lib/data/audit";
import { connectionColumns, withConnection } from "@/lib/data/connection-columns";
import { findConnectionSubject } from "@/lib/data/connections";
import { saveUpstreamEndUser } from "@/lib/data/end-user-writes";
import { findMapping } from "@/lib/data/lookup";
import { acquireClaim } from "@/lib/data/onboarding-claims";
import { runPrepared } from "@/lib/data/prepared";
import { reserveRateWindows } from "@/lib/data/rate-limit";
import { findSessionAndUser } from "@/lib/data/sessions";
import { h } from "../support/harness";

const zone = process.env.TZ;
afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

/** Far from UTC either way, so a time read in the local zone is hours off. */
const ZONES = ["America/Los_Angeles", "Asia/Kathmandu"];

/** A `timestamp` the test reads itself, as milliseconds since the epoch: no time zone involved. */
async function epochMs(select: string, params: unknown[] = []): Promise<number> {
  const [row] = await h.sql<{ ms: string }>(
    `SELECT (extract(epoch FROM t.at) * 1000)::text AS ms FROM (${select}) AS t`,
    params,
  );
  return Number(row!.ms);
}

let serial = 0;
const unique = (label: string) => `${label}-${Date.now()}-${++serial}`;

/** An end-user as Conductor answers it, created 2026-01-02T03:04:05.678Z. */
const upstreamEndUser = (sourceId: string, companyName: string) => ({
  id: `end_usr_${unique("prepared")}`.replace(/-/g, "_"),
  sourceId,
  companyName,
  email: "p@prepared.test",
  createdAt: new Date("2026-01-02T03:04:05.678Z"),
  integrationConnections: [],
});

describe("prepared statements", () => {
  it.each(ZONES)("read a timestamp column as UTC in a process running in %s", async (tz) => {
    process.env.TZ = tz;
    const [row] = await runPrepared<{ at: Date; none: Date | null }>(
      Prisma.sql`SELECT ${"2026-01-02 03:04:05.678"}::timestamp(3) AS "at", NULL::timestamp(3) AS "none"`,
    );
    expect(row!.at.toISOString()).toBe("2026-01-02T03:04:05.678Z");
    expect(row!.none).toBeNull();
  });

  it.each(ZONES)(
    "give the claim, the rate window and the cached end-user the database's UTC times in %s",
    async (tz) => {
      process.env.TZ = tz;
      const now = await epochMs(`SELECT timezone('UTC', now()) AS at`);
      const near = (date: Date | null | undefined) => Math.abs(date!.getTime() - now);

      const sourceId = unique("prepared");
      const claim = await acquireClaim({ sourceId, companyName: "Prepared Co", email: "p@prepared.test" }, 60_000);
      expect(claim.kind).toBe("acquired");
      if (claim.kind !== "acquired") return;
      expect(near(claim.claim.postStartedAt)).toBeLessThan(60_000);
      expect(claim.claim.leaseExpiresAt!.getTime() - claim.claim.postStartedAt!.getTime()).toBe(60_000);

      const [window] = await reserveRateWindows([{ key: unique("prepared-window"), amount: 1 }], 60_000);
      expect(near(window!.storeNow)).toBeLessThan(60_000);
      expect(window!.windowStart.getTime() % 60_000).toBe(0);

      const cached = await saveUpstreamEndUser(upstreamEndUser(sourceId, "Prepared Co"));
      expect(near(cached.syncedAt)).toBeLessThan(60_000);
      const stored = await epochMs(`SELECT "syncedAt" AS at FROM "ConductorEndUser" WHERE id = $1`, [cached.id]);
      expect(cached.syncedAt.getTime()).toBe(stored);
    },
  );

  it.each(ZONES)("read a session and its user exactly as next-auth's Prisma adapter does, in %s", async (tz) => {
    process.env.TZ = tz;
    const adapter = PrismaAdapter((await db()) as never);
    const user = await adapter.createUser!({
      id: unique("prepared-user"),
      email: `${unique("prepared")}@prepared.test`,
      emailVerified: new Date("2026-01-02T03:04:05.678Z"),
    });
    const sessionToken = unique("prepared-session");
    await adapter.createSession!({ sessionToken, userId: user.id, expires: new Date("2026-12-24T23:59:59.123Z") });

    const read = await findSessionAndUser(sessionToken);
    expect(read).toEqual(await adapter.getSessionAndUser!(sessionToken));
    expect(read?.session.expires.toISOString()).toBe("2026-12-24T23:59:59.123Z");
    expect(read?.user.emailVerified?.toISOString()).toBe("2026-01-02T03:04:05.678Z");
    expect(await findSessionAndUser(unique("no-such-session"))).toBeNull();
  });

  it.each(ZONES)("record an audit event by the database's clock, its data intact, in %s", async (tz) => {
    process.env.TZ = tz;
    const now = await epochMs(`SELECT timezone('UTC', now()) AS at`);
    const sourceId = unique("prepared-audit");
    const data = { authSessionId: "auth_sess_1", expiresAt: "2026-12-24T23:59:59.123Z", note: `quote ' and "` };
    await recordAudit({
      action: "AUTH_SESSION_CREATED",
      actor: "p@prepared.test",
      sourceId,
      conductorRequestId: "req_1",
      data,
    });
    const event = await (await db()).auditEvent.findFirstOrThrow({ where: { sourceId } });
    expect(event).toMatchObject({
      action: "AUTH_SESSION_CREATED",
      actor: "p@prepared.test",
      conductorRequestId: "req_1",
      data,
    });
    expect(event.endUserId).toBeNull();
    expect(Math.abs(event.at.getTime() - now)).toBeLessThan(60_000);
  });

  it.each(ZONES)("read an end-user's connection columns as Prisma reads them, in %s", async (tz) => {
    process.env.TZ = tz;
    const sourceId = unique("prepared-subject");
    const { id } = await saveUpstreamEndUser(upstreamEndUser(sourceId, "Subject Co"));
    await h.sql(
      `UPDATE "ConductorEndUser" SET "connectionCheckedAt" = '2026-02-03 04:05:06.789', "connectionCheckOutcome" = 'connection_error',
         "connectionMessage" = 'Open QuickBooks Desktop.', "connectionRequestId" = 'req_check' WHERE id = $1`,
      [id],
    );
    const byPrisma = await (
      await db()
    ).conductorEndUser.findUniqueOrThrow({
      where: { id },
      select: { id: true, sourceId: true, companyName: true, email: true, deletedAt: true, ...connectionColumns },
    });
    const subject = await findConnectionSubject(id);
    expect(subject).toEqual(withConnection(byPrisma));
    expect(subject?.lastCheck?.at.toISOString()).toBe("2026-02-03T04:05:06.789Z");
    expect(await findConnectionSubject(`end_usr_${unique("none")}`.replace(/-/g, "_"))).toBeNull();
  });

  it.each(ZONES)("answer a lookup with the end-user's UTC times, in %s", async (tz) => {
    process.env.TZ = tz;
    const sourceId = unique("prepared-lookup");
    const saved = await saveUpstreamEndUser(upstreamEndUser(sourceId, "Lookup Co"));
    const mapping = await findMapping({ sourceId });
    expect(mapping?.createdAt.toISOString()).toBe("2026-01-02T03:04:05.678Z");
    expect(mapping?.syncedAt.getTime()).toBeGreaterThanOrEqual(saved.syncedAt.getTime());
    expect(mapping?.deletedAt).toBeNull();
  });
});
