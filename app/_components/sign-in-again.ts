import { signInHref } from "@/lib/web/auth/sign-in-page";

/**
 * The sign-in page, saying the session ended and coming back to `path` afterwards. Signing out in
 * one tab deletes the cookie every tab shares, so the server cannot tell such a tab's next request
 * from a stranger's: the page that saw its calls refused says so.
 */
export const signInAgainHref = (path: string) => signInHref(path, { ended: true });
