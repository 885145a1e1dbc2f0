import Link from "next/link";
import { MarksArrival } from "@/app/_components/focus-after-submit";
import { statusLabel } from "@/app/_components/connection/wording";
import { CONNECTION_STATUSES, type ConnectionStatus } from "@/lib/model/connection";

/**
 * One link per connection status (and "All"), each with how many the search matches: `all`
 * includes offboarded end-users when the list shows them, the statuses only live ones.
 */
export function StatusFilters({
  hrefFor,
  current,
  counts,
  all,
}: {
  hrefFor: (status: ConnectionStatus | null) => string;
  current?: ConnectionStatus;
  counts: Record<ConnectionStatus, number>;
  all: number;
}) {
  const chip = (status: ConnectionStatus | null, label: string, count: number) => (
    <li key={status ?? "all"}>
      <Link
        className={status === (current ?? null) ? "button" : "button secondary"}
        href={hrefFor(status)}
        aria-current={status === (current ?? null) ? "page" : undefined}
      >
        {label} <span className="count">{count.toLocaleString("en-US")}</span>
      </Link>
    </li>
  );
  return (
    <nav aria-label="Connection status" className="filters">
      <MarksArrival on="link" />
      <ul>
        {chip(null, "All", all)}
        {CONNECTION_STATUSES.map((status) => chip(status, statusLabel(status), counts[status]))}
      </ul>
    </nav>
  );
}
