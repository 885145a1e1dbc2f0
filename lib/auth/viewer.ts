import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { roleFor, type Role } from "./roles";
import { SESSION_COOKIES } from "./session-cookies";

export type Viewer = { id: string; email: string; role: Role };

/**
 * The signed-in user of this request, with their role; null when signed out. Without a session
 * cookie nobody can be signed in, so next-auth and the database are not even loaded.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const jar = await cookies();
  if (!SESSION_COOKIES.some((name) => jar.has(name))) return null;
  const [{ getServerSession }, { authOptions }] = await Promise.all([import("next-auth"), import("./options")]);
  const session = await getServerSession(authOptions());
  const user = session?.user as { id?: string; email?: string | null } | undefined;
  if (!user?.id || !user.email) return null;
  return { id: user.id, email: user.email, role: roleFor(user.email) };
});
