/** The methods a route file may export a handler for. */
export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export type RouteMethod = (typeof ROUTE_METHODS)[number];

/** What the server serves at all: the route methods, and HEAD and OPTIONS, which Next.js answers itself. */
export const SERVED_METHODS: ReadonlySet<string> = new Set([...ROUTE_METHODS, "HEAD", "OPTIONS"]);
