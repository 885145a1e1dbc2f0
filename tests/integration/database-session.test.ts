/**
 * Signed-in requests read their session with next-auth's rules without going through
 * `getServerSession` (lib/web/auth/database-session.ts). Each case here is set up twice, one
 * session for next-auth and one for ours, and both must answer alike and leave the database alike.
 */
import { PrismaAdapter } from "@auth/prisma-adapter";
import { getServerSession } from "next-auth";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { authOptions } from "@/lib/web/auth/options";
import { readSession } from "@/lib/web/auth/database-session";
import { SESSION_MAX_AGE_S } from "@/lib/web/auth/session-lifetime";
import { SESSION_COOKIES } from "@/lib/web/auth/session-cookies";
import { h } from "../support/harness";

const DAY_MS = 24 * 60 * 60 * 1000;
const noResponse = { getHeader() {}, setCookie() {}, setHeader() {} };

let serial = 0;
const unique = (label: string) => `${label}-${Date.now()}-${++serial}`;

/** A user with a session expiring `expiresInMs` from now; answers its token. */
async function sessionExpiringIn(userId: string, expiresInMs: number): Promise<string> {
  const sessionToken = `${unique("tok")}-0123456789`;
  const adapter = PrismaAdapter((await db()) as never);
  await adapter.createSession!({ sessionToken, userId, expires: new Date(Date.now() + expiresInMs) });
  return sessionToken;
}

async function expiresOf(sessionToken: string): Promise<number | null> {
  const [row] = await h.sql<{ ms: string }>(
    `SELECT (extract(epoch FROM "expires") * 1000)::bigint::text AS ms FROM "Session" WHERE "sessionToken" = $1`,
    [sessionToken],
  );
  return row ? Number(row.ms) : null;
}

/** next-auth's own read, as its route and `getServerSession` make it (the plain cookie: the tests run over http). */
async function nextAuthReads(sessionToken: string): Promise<string | null> {
  const request = { headers: {}, cookies: { [SESSION_COOKIES[1]]: sessionToken } };
  const session = await getServerSession(request as never, noResponse as never, authOptions());
  return (session?.user as { id?: string } | undefined)?.id ?? null;
}

const CASES: [string, number][] = [
  ["a fresh session (extended less than a day ago)", SESSION_MAX_AGE_S * 1000 - 60_000],
  ["a session last extended more than a day ago", SESSION_MAX_AGE_S * 1000 - 2 * DAY_MS],
  ["an expired session", -60_000],
];

describe("reading a database session", () => {
  it.each(CASES)("answers %s as next-auth does, and leaves it as next-auth does", async (_case, expiresInMs) => {
    const adapter = PrismaAdapter((await db()) as never);
    const user = await adapter.createUser!({
      id: unique("reader"),
      email: `${unique("reader")}@sessions.test`,
      emailVerified: null,
    });
    const theirs = await sessionExpiringIn(user.id, expiresInMs);
    const ours = await sessionExpiringIn(user.id, expiresInMs);
    const [theirsBefore, oursBefore] = [await expiresOf(theirs), await expiresOf(ours)];

    const theirAnswer = await nextAuthReads(theirs);
    const ourAnswer = (await readSession(ours))?.id ?? null;

    expect(ourAnswer).toBe(theirAnswer);
    expect(ourAnswer).toBe(expiresInMs > 0 ? user.id : null);
    const [theirExpiry, ourExpiry] = [await expiresOf(theirs), await expiresOf(ours)];
    if (theirExpiry === null) expect(ourExpiry).toBeNull();
    else if (theirExpiry === theirsBefore) expect(ourExpiry).toBe(oursBefore);
    else {
      expect(ourExpiry).not.toBe(oursBefore);
      // Both moved to 30 days from when they were read, a moment apart.
      expect(Math.abs(ourExpiry! - theirExpiry)).toBeLessThan(5_000);
    }
  });

  it("answers no one for a token no session has, as next-auth does", async () => {
    const token = `${unique("none")}-0123456789`;
    expect(await nextAuthReads(token)).toBeNull();
    expect(await readSession(token)).toBeNull();
  });
});
