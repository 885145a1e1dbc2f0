/**
 * How long a database session lives, and how often its expiry is written: next-auth's options,
 * the session reader and the browser's renewal all use these. A module of its own, importing
 * nothing, so that the root layout can read them without loading the database layer.
 */
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;
/** next-auth's default: a session's expiry is written at most once a day. */
export const SESSION_UPDATE_AGE_S = 24 * 60 * 60;
