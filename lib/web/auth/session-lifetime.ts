/**
 * How long a database session lives, how often its expiry is written, and how long a sign-in link
 * works: next-auth's options, the session reader, the browser's renewal, the sign-in email and
 * the pages that speak of the link all use these. A module of its own, importing
 * nothing, so that the root layout can read them without loading the database layer.
 */
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;
/** next-auth's default: a session's expiry is written at most once a day. */
export const SESSION_UPDATE_AGE_S = 24 * 60 * 60;
/** A sign-in link works this long (next-auth's email provider `maxAge`). */
export const SIGN_IN_LINK_MAX_AGE_S = 15 * 60;
