"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIES, sessionTokens } from "./session-cookies";
import { SIGNED_OUT_PARAM } from "./sign-in-page";

/**
 * Ends the session server-side (no client JavaScript needed): the row goes, then the cookie. The
 * form's "everywhere" button ends every session of the same user (a lost laptop, a shared
 * computer); any other value ends only this one, the lesser thing to do.
 */
export async function signOutAction(form?: FormData): Promise<void> {
  const everywhere = form instanceof FormData && form.get("scope") === "everywhere";
  const jar = await cookies();
  const tokens = sessionTokens(jar);
  for (const name of SESSION_COOKIES) {
    if (!jar.has(name)) continue;
    const token = tokens[name];
    if (token) {
      const { deleteSession, deleteEverySessionOf } = await import("@/lib/data/sessions");
      await (everywhere ? deleteEverySessionOf(token) : deleteSession(token));
    }
    jar.set(name, "", { maxAge: 0, path: "/", httpOnly: true, sameSite: "lax", secure: name.startsWith("__Secure-") });
  }
  // The start page says it happened (and where), as nothing else on it would.
  redirect(`/?${SIGNED_OUT_PARAM}=${everywhere ? "everywhere" : "here"}`);
}
