/**
 * Every error the app reports, in one table: the HTTP status it answers with, the message a user
 * sees when the code site has nothing more specific to say, and, for failures of an upstream API,
 * the message naming that API (with the API's own explanation, when it gave one).
 */
type Entry = { status: number; message: string; upstream?: (name: string, detail?: string) => string };

const DETAIL_MAX = 200;
/** An upstream's own words, cut to a length a message can carry, without a closing full stop. */
export function clipped(detail: string): string {
  const characters = [...detail];
  const kept = characters.length > DETAIL_MAX ? `${characters.slice(0, DETAIL_MAX - 1).join("")}…` : detail;
  return kept.replace(/\.$/, "");
}
const upstreamDetail = (detail?: string) => (detail ? `: ${clipped(detail)}.` : ".");

export const errorCodes = {
  invalid_request: { status: 400, message: "The request is invalid." },
  invalid_json: { status: 400, message: "The request body is not valid JSON in UTF-8." },
  request_incomplete: { status: 400, message: "The request ended before its whole body arrived." },
  upstream_invalid_request: {
    status: 400,
    message: "The provider rejected the request as invalid.",
    upstream: (name, detail) => `${name} rejected the request${upstreamDetail(detail)}`,
  },
  unauthenticated: { status: 401, message: "Sign in, or send a valid token." },
  forbidden: { status: 403, message: "You are not allowed to do this." },
  not_found: { status: 404, message: "Not found." },
  end_user_not_found: {
    status: 404,
    message: "No end-user has this id.",
    upstream: (name) => `${name} has no end-user with this id.`,
  },
  provider_end_user_not_found: {
    status: 404,
    message: "The provider has no end-user with this id.",
    upstream: (name, detail) => `${name} has no end-user with this id${detail ? ` (${clipped(detail)})` : ""}.`,
  },
  onboarding_in_progress: {
    status: 409,
    message: "Your company is being set up with Conductor. This takes a few seconds; check again shortly.",
  },
  integration_not_set_up: {
    status: 409,
    message: "QuickBooks Desktop is not connected yet: its setup was never completed.",
    upstream: (name) => `${name} says QuickBooks Desktop is not connected yet: its setup was never completed.`,
  },
  offboarding_in_progress: {
    status: 409,
    message: "This end-user is being offboarded, and Conductor has not confirmed it yet. Check again later.",
  },
  still_in_conductor: {
    status: 409,
    message: "Conductor still has this end-user, so it was not marked offboarded. Offboard it to delete it.",
  },
  account_changed: {
    status: 409,
    message: "This page was opened for another account than the one signed in now. Reload it to continue.",
  },
  already_linked: { status: 409, message: "That end-user is already linked to another customer." },
  link_changed: {
    status: 409,
    message: "The link changed since it was last read: nothing was changed. Reload to see it.",
  },
  email_not_deliverable: {
    status: 409,
    message:
      "Conductor's record for this end-user holds no single email address we can send to. Correct it in Conductor, then refresh.",
  },
  source_id_conflict: { status: 409, message: "Conductor holds another end-user with the same sourceId." },
  method_not_allowed: { status: 405, message: "This route does not take that method." },
  request_timeout: { status: 408, message: "The request did not arrive in time." },
  end_user_deleted: { status: 410, message: "This end-user was offboarded." },
  payload_too_large: { status: 413, message: "The request body is larger than 64 KB." },
  unsupported_media_type: {
    status: 415,
    message:
      "Send the request body as application/json: a JSON object (an empty one, {}, where the route takes no fields).",
  },
  headers_too_large: { status: 431, message: "The request's headers, or its URL, are too large." },
  rate_limited: { status: 429, message: "Too many requests. Wait and try again." },
  upstream_rate_limited: {
    status: 429,
    message: "The provider is rate-limiting us. Wait a moment and try again.",
    upstream: (name) => `${name} is rate-limiting us. Wait a moment and try again.`,
  },
  internal_error: { status: 500, message: "Something went wrong on our side." },
  method_not_implemented: { status: 501, message: "This server does not take that method." },
  upstream_auth_failed: {
    status: 502,
    message: "The provider rejected our credentials. The problem is on our side: an operator must fix the API key.",
    upstream: (name) =>
      `${name} rejected our credentials. The problem is on our side: an operator must fix the ${name} API key.`,
  },
  upstream_error: {
    status: 502,
    message: "The provider had a problem answering. Try again shortly.",
    upstream: (name) => `${name} had a problem answering. Try again shortly.`,
  },
  integration_connection_error: {
    status: 502,
    message: "QuickBooks Desktop could not be reached.",
    upstream: (name, detail) => `${name} could not reach QuickBooks Desktop${upstreamDetail(detail)}`,
  },
  upstream_conflict: {
    status: 502,
    message: "The provider reported a conflict. Try again shortly.",
    upstream: (name, detail) => `${name} reported a conflict${upstreamDetail(detail)} Try again shortly.`,
  },
  upstream_refused: {
    status: 502,
    message: "The provider refused our request.",
    upstream: (name, detail) => `${name} refused our request${upstreamDetail(detail)}`,
  },
  upstream_invalid_response: {
    status: 502,
    message: "The provider answered with something we could not understand.",
    upstream: (name) => `${name} answered with something we could not understand.`,
  },
  upstream_unavailable: {
    status: 503,
    message: "The provider could not be reached. Try again shortly.",
    upstream: (name) => `${name} could not be reached.`,
  },
  mail_refused: {
    status: 409,
    message: "The mail server refused to deliver to this address. Check the address; sending again will not help.",
  },
  mail_unavailable: { status: 503, message: "The email could not be sent. Try again shortly." },
  database_unavailable: { status: 503, message: "The database is unavailable. Try again shortly." },
  upstream_timeout: {
    status: 504,
    message: "The provider did not answer in time.",
    upstream: (name) => `${name} did not answer in time.`,
  },
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof errorCodes;

/** The code for an upstream API's HTTP error status, the same for every API but for what a 404 means. */
export function codeForUpstreamStatus(status: number, notFound: ErrorCode = "end_user_not_found"): ErrorCode {
  if (status === 401 || status === 403) return "upstream_auth_failed";
  if (status === 404) return notFound;
  if (status === 409) return "upstream_conflict";
  if (status === 429) return "upstream_rate_limited";
  if (status >= 500) return "upstream_error";
  return "upstream_invalid_request";
}
