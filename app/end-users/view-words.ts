import { statusLabel } from "@/app/_components/connection/wording";
import type { ListQuery } from "@/lib/use-cases/end-users/list";

/** What narrows the list, in words: the search, the status and the offboarded toggle. */
const narrowedBy = ({ q, status, include }: Pick<ListQuery, "q" | "status" | "include">) =>
  [q && `“${q}”`, status && statusLabel(status), include === "deleted" && "offboarded included"].filter(Boolean);

/**
 * The page's title names the view, so that a search, a filter or a page change is announced
 * (Next.js's route announcer reads a title that changed; a page loaded anew is read by its title).
 */
export function listTitle(query: ListQuery, later: boolean): string {
  const narrowed = narrowedBy({ ...query, q: query.q && clip(query.q) });
  return `End-users${narrowed.length ? `: ${narrowed.join(", ")}` : ""}${later ? ", a later page" : ""}`;
}

/** How many end-users the view holds, and what narrows it. */
export function listSummary({ q, status, include }: ListQuery, count: number, later: boolean): string {
  const noun = count === 1 ? "end-user" : "end-users";
  const match = count === 1 ? "matches" : "match";
  const narrowed = [q && ` ${match} “${q}”`, status && ` with status ${statusLabel(status)}`].filter(Boolean).join("");
  const offboarded = include === "deleted" ? ", offboarded ones included" : "";
  const page = later ? " This is a later page." : "";
  return `${count.toLocaleString("en-US")} ${narrowed ? noun + narrowed : `cached ${noun}`}${offboarded}, newest first.${page}`;
}

const clip = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text);
