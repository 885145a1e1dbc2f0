/**
 * Reading a signed-in person's database session as next-auth v4 does (`core/routes/session.js`),
 * without the request handling around it: `getServerSession` builds its options, providers, CSRF
 * token and cookies anew on every call, about 0.5 ms of every signed-in request here. The rules
 * are next-auth's: an expired session signs nobody in and is deleted, and a session last extended
 * more than SESSION_UPDATE_AGE_S ago is extended to SESSION_MAX_AGE_S from now. Signing in and
 * out, and creating sessions, stay next-auth's.
 */
import "server-only";
import { deleteSession, extendSession, findSessionAndUser } from "@/lib/data/sessions";
import { SESSION_MAX_AGE_S, SESSION_UPDATE_AGE_S } from "./session-lifetime";

export type SessionUser = { id: string; email: string | null };

/** The user a session token signs in, or null; a failed database read throws. */
export async function readSession(sessionToken: string, now = Date.now()): Promise<SessionUser | null> {
  const found = await findSessionAndUser(sessionToken);
  if (!found) return null;
  const expires = found.session.expires.valueOf();
  if (expires < now) {
    await deleteSession(sessionToken);
    return null;
  }
  if (expires - SESSION_MAX_AGE_S * 1000 + SESSION_UPDATE_AGE_S * 1000 <= now)
    await extendSession(sessionToken, new Date(now + SESSION_MAX_AGE_S * 1000));
  return { id: found.user.id, email: found.user.email };
}
