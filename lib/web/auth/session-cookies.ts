/** next-auth v4's session cookie: `__Secure-` prefixed when the app is served over https. */
export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"] as const;

/** The one cookie next-auth reads the session from: the `__Secure-` one where the app is served over https. */
export function sessionCookieFor(origin: string): (typeof SESSION_COOKIES)[number] {
  return origin.startsWith("https://") ? SESSION_COOKIES[0] : SESSION_COOKIES[1];
}

/**
 * Whether `token` has the shape of the tokens next-auth issues (a UUID, or hex where there is no
 * randomUUID). Any other value (a NUL, which Postgres refuses to compare, or anything a client
 * made up) names no session, so it never reaches the database.
 */
export const isSessionToken = (token: string) => /^[A-Za-z0-9-]{16,128}$/.test(token);

type CookieJar = { get(name: string): { value: string } | undefined };

/** The session cookies that hold a token next-auth could have issued (isSessionToken). */
export function sessionTokens(jar: CookieJar): Partial<Record<(typeof SESSION_COOKIES)[number], string>> {
  return Object.fromEntries(
    SESSION_COOKIES.flatMap((name) => {
      const token = jar.get(name)?.value;
      return token !== undefined && isSessionToken(token) ? [[name, token]] : [];
    }),
  );
}
