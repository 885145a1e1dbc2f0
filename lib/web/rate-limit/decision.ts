/** What a rate limit answered for one request. */
export type RateDecision = { allowed: boolean; limit: number; remaining: number; retryAfterSeconds: number };
