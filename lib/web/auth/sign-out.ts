"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIES, sessionTokens } from "./session-cookies";

/** Ends the session server-side (no client JavaScript needed): the row goes, then the cookie. */
export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  const tokens = sessionTokens(jar);
  for (const name of SESSION_COOKIES) {
    if (!jar.has(name)) continue;
    const token = tokens[name];
    if (token) {
      const { deleteSession } = await import("@/lib/data/sessions");
      await deleteSession(token);
    }
    jar.set(name, "", { maxAge: 0, path: "/", httpOnly: true, sameSite: "lax", secure: name.startsWith("__Secure-") });
  }
  redirect("/");
}
