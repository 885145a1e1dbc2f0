"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIES } from "./session-cookies";

/** Ends the session server-side (no client JavaScript needed): the row goes, then the cookie. */
export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    const token = jar.get(name)?.value;
    if (!token) continue;
    const { deleteSession } = await import("@/lib/data/sessions");
    await deleteSession(token);
    jar.set(name, "", { maxAge: 0, path: "/", httpOnly: true, sameSite: "lax", secure: name.startsWith("__Secure-") });
  }
  redirect("/");
}
