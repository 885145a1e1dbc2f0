"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { deleteSession } from "@/lib/data/sessions";

const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/** Ends the session server-side (no client JavaScript needed): the row goes, then the cookie. */
export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    const token = jar.get(name)?.value;
    if (token) await deleteSession(token);
    if (token) jar.set(name, "", { maxAge: 0, path: "/", httpOnly: true, sameSite: "lax", secure: name.startsWith("__Secure-") });
  }
  redirect("/");
}
