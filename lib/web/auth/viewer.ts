import "server-only";
import { cookies, headers } from "next/headers";
import type { Person } from "@/lib/model/actor";
import { AppError } from "@/lib/platform/errors/app-error";
import { oncePerRequest } from "@/lib/web/request-memo";
import { roleFor } from "./roles";
import { sessionTokens } from "./session-cookies";

/** What next-auth may write back while reading a session: nothing, as with its own server-component reads. */
const noResponse = { getHeader() {}, setCookie() {}, setHeader() {} };

/**
 * The signed-in person of this request, with their role; null when signed out. Without a session
 * cookie nobody can be signed in, so next-auth and the database are not even loaded. Throws
 * database_unavailable when the session could not be looked up. Looked up once per request and
 * session cookie: a server action and the page re-rendered after it share the answer, and a
 * cookie the action changed (signing out) is looked up afresh.
 */
export async function getViewer(): Promise<Person | null> {
  const sessionCookies = sessionTokens(await cookies());
  if (Object.keys(sessionCookies).length === 0) return null;
  return oncePerRequest(`viewer:${JSON.stringify(sessionCookies)}`, () => lookUpViewer(sessionCookies));
}

async function lookUpViewer(sessionCookies: ReturnType<typeof sessionTokens>): Promise<Person | null> {
  const [{ getServerSession }, { authOptions }] = await Promise.all([import("next-auth"), import("./options")]);
  // next-auth is shown the session cookie only: it validates its callback-URL cookie on every
  // read and fails the whole request over one it cannot parse, which any client can send.
  const request = { headers: Object.fromEntries(await headers()), cookies: sessionCookies };
  const session = await getServerSession(request as never, noResponse as never, authOptions());
  const user = session?.user as { id?: string; email?: string | null } | undefined;
  if (!user?.id || !user.email) {
    // next-auth answers "no session" when the database failed to look it up: a signed-in person
    // would be treated as signed out (401, or sent to sign in) instead of told to retry.
    const { pingDatabase } = await import("@/lib/data/health");
    if (!(await pingDatabase())) throw new AppError("database_unavailable");
    return null;
  }
  return { kind: roleFor(user.email), id: user.id, email: user.email };
}
