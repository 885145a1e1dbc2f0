import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { authOptions } from "./options";
import { roleFor, type Role } from "./roles";

export type Viewer = { id: string; email: string; role: Role };

/** The signed-in user of this request, with their role; null when signed out. */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const session = await getServerSession(authOptions());
  const user = session?.user as { id?: string; email?: string | null } | undefined;
  if (!user?.id || !user.email) return null;
  return { id: user.id, email: user.email, role: roleFor(user.email) };
});
