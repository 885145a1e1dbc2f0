/** next-auth v4's session cookie: `__Secure-` prefixed when the app is served over https. */
export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"] as const;
