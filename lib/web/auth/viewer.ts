import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import type { Person } from "@/lib/model/actor";
import { roleFor } from "./roles";
import { SESSION_COOKIES } from "./session-cookies";

/**
 * The signed-in person of this request, with their role; null when signed out. Without a session
 * cookie nobody can be signed in, so next-auth and the database are not even loaded.
 */
export const getViewer = cache(async (): Promise<Person | null> => {
  const jar = await cookies();
  if (!SESSION_COOKIES.some((name) => jar.has(name))) return null;
  const [{ getServerSession }, { authOptions }] = await Promise.all([import("next-auth"), import("./options")]);
  const session = await getServerSession(authOptions());
  const user = session?.user as { id?: string; email?: string | null } | undefined;
  if (!user?.id || !user.email) return null;
  return { kind: roleFor(user.email), id: user.id, email: user.email };
});
