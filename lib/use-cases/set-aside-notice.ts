/**
 * What a list page says when it could not use part of its link: what it shows instead (`lead`:
 * by default its first page), then each part it set aside and why, rather than a guess at which
 * part it was.
 */
const PARTS: Record<string, string> = {
  q: "the search",
  status: "the status filter",
  include: "include",
  limit: "the page size",
};

export function setAsideNotice(fields: Record<string, string[]>, lead = "Showing the first page instead"): string {
  const parts = Object.entries(fields).map(([field, messages]) =>
    field === "cursor" ? "the page link is no longer valid" : `${PARTS[field] ?? field} ${messages.join(" and ")}`,
  );
  return `${lead}: ${parts.join("; ")}.`;
}
