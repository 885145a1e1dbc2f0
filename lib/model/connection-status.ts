/**
 * The four connection statuses and how they read, free of any schema code: client components
 * (which must not carry zod to the browser) import them from here.
 */
export const CONNECTION_STATUSES = ["not_started", "in_progress", "connected", "needs_attention"] as const;

export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** How each status reads to a person. */
export const CONNECTION_STATUS_LABELS: Record<ConnectionStatus, string> = {
  not_started: "Not started",
  in_progress: "In progress",
  connected: "Connected",
  needs_attention: "Needs attention",
};

type AnsweringConnection = { integrationSlug: string; lastSuccessfulRequestAt: Date | null };

/** When QuickBooks Desktop last answered a request through Conductor, by its connections in Conductor's record. */
export function lastQuickBooksAnswer(connections: readonly AnsweringConnection[]): Date | null {
  let last: Date | null = null;
  for (const { integrationSlug, lastSuccessfulRequestAt: at } of connections)
    if (integrationSlug === "quickbooks_desktop" && at && (!last || at > last)) last = at;
  return last;
}
