/** How often an onboarding page reads its connection: until it is connected, then once it is. */
export const CONNECTION_POLL_MS = 3_000;
/** Once connected, slowly: enough to notice an offboarding or a sign-out elsewhere. */
export const CONNECTED_POLL_MS = 30_000;
