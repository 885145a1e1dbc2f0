import "server-only";
import { cookies, headers } from "next/headers";
import type { Person } from "@/lib/model/actor";
import { AppError } from "@/lib/platform/errors/app-error";
import { publicOrigin } from "@/lib/web/http/public-origin";
import { oncePerRequest } from "@/lib/web/request-memo";
import { roleFor } from "./roles";
import { sessionCookieFor, sessionTokens } from "./session-cookies";

/**
 * The signed-in person of this request, with their role; null when signed out. Without a session
 * cookie nobody can be signed in, so the database is not even loaded. Only the cookie next-auth
 * itself reads is looked at (the `__Secure-` one over https: a plain one planted over http names
 * nobody there). Throws database_unavailable when the session could not be looked up. Looked up
 * once per request and session token: a server action and the page re-rendered after it share
 * the answer, and a cookie the action changed (signing out) is looked up afresh.
 */
export async function getViewer(): Promise<Person | null> {
  const token = await sessionToken();
  if (!token) return null;
  return oncePerRequest(`viewer:${token}`, () => lookUpViewer(token));
}

/**
 * Whether this request carries a session cookie that signs nobody in: the session was ended
 * (signing out in another tab, or everywhere) or expired, and the browser still holds its cookie.
 */
export async function sessionHasEnded(): Promise<boolean> {
  return (await sessionToken()) !== undefined && (await getViewer()) === null;
}

async function sessionToken(): Promise<string | undefined> {
  return sessionTokens(await cookies())[sessionCookieFor(publicOrigin(await headers()))];
}

async function lookUpViewer(token: string): Promise<Person | null> {
  const { readSession } = await import("./database-session");
  const user = await readSession(token).catch(async () => {
    // A failed read must not pass for "signed out": a signed-in person would be treated as a
    // stranger (401, or sent to sign in) instead of told to retry.
    const { pingDatabase } = await import("@/lib/data/health");
    if (!(await pingDatabase())) throw new AppError("database_unavailable");
    return null;
  });
  if (!user?.email) return null;
  return { kind: roleFor(user.email), id: user.id, email: user.email };
}
