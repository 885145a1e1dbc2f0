/**
 * What a refused request for a sign-in link says, in the sign-in form and on the sign-in error page
 * alike: too many links asked for, or an address the mail server will not deliver to.
 */
export const LIMIT_MESSAGES = {
  RateLimited: "Too many sign-in links were asked for. Wait a minute, then try again.",
  AddressBusy:
    "Sign-in links were just sent to this address, as many as we send to one address in a minute. Use the newest one in that inbox (each works once, for 15 minutes), or ask again in a minute.",
  AddressRefused:
    "The mail server refused to deliver to this address, so no sign-in link was sent. Check the address for typos, or use another one.",
} as const;
