import Link from "next/link";
import { AUDIT_ACTIONS, SYSTEM_ACTOR, type AuditRecord } from "@/lib/model/audit";
import { connectionStatusSchema } from "@/lib/model/connection";
import { linkedProviderSchema, providerName } from "@/lib/model/providers";
import { describeSyncCounts, syncReportSchema } from "@/lib/model/reconcile-report";
import { formatTimestamp } from "@/lib/platform/format";
import { statusLabel } from "./connection/wording";
import { ColumnHeadings, TableRegion } from "./table-region";

const none = <span className="muted">—</span>;

/** A status as an event's data names it, as a person reads it; null for anything else. */
const labelOf = (value: unknown) => {
  const status = connectionStatusSchema.safeParse(value);
  return status.success ? statusLabel(status.data) : null;
};

/** "Dify d1000000-…": a linked provider's end-user, as an audit event names it. */
function linkOf(value: unknown): string | null {
  const { provider, externalId } = (value ?? {}) as { provider?: unknown; externalId?: unknown };
  const known = linkedProviderSchema.safeParse(provider);
  return known.success && typeof externalId === "string" ? `${providerName(known.data)} ${externalId}` : null;
}

const IDENTITY_FIELDS: Record<string, string> = {
  displayName: "name",
  externalUserId: "external user id",
  channel: "channel",
  note: "note",
  anonymous: "anonymous",
  providerCreatedAt: "created at",
};

/** A value as a line shows it: long notes cut, nothing said as such. */
const shownValue = (value: unknown) => {
  if (value === null || value === undefined || value === "") return "none";
  const text = String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

/** "name: Ada → Ada L.; note: none → VIP": what a refresh found changed at the provider. */
function changesOf(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return null;
  const changes = value as Record<string, { from?: unknown; to?: unknown } | undefined>;
  // In the fields' own order: the stored JSON keeps its keys in an order of its own.
  const lines = Object.entries(IDENTITY_FIELDS)
    .filter(([field]) => changes[field])
    .map(([field, label]) => `${label}: ${shownValue(changes[field]?.from)} → ${shownValue(changes[field]?.to)}`);
  return lines.length ? lines.join("; ") : null;
}

/** What changed, where the event's data says it in a line: a status's from and to, a refresh's counts, a link. */
function detailOf({ action, data }: AuditRecord): string | null {
  if (!data) return null;
  if (action === "CONNECTION_STATUS_CHANGED") {
    const [from, to] = [labelOf(data.from), labelOf(data.to)];
    if (!from || !to) return null;
    const seen = data.via === "conductor_record" ? "seen in Conductor's record" : "health check";
    const said = typeof data.message === "string" ? `: Conductor said “${data.message}”` : "";
    return `${from} → ${to} (${seen})${said}`;
  }
  if (action === "END_USER_CHANGED_UPSTREAM") {
    const change = (field: string, label: string) => {
      const value = data[field] as { from?: unknown; to?: unknown } | undefined;
      return typeof value?.from === "string" && typeof value.to === "string"
        ? `${label}: ${value.from} → ${value.to}`
        : [];
    };
    return [change("companyName", "company"), change("email", "email")].flat().join("; ") || null;
  }
  if (action === "END_USER_BACK_UPSTREAM" && typeof data.missingSince === "string") {
    return `missing from the list since ${formatTimestamp(new Date(data.missingSince))}`;
  }
  if (PROVIDER_EVENTS.has(action)) {
    const link = linkOf(data);
    if (!link) return null;
    if (typeof data.replaced === "string") return `${link}, in place of ${data.replaced}`;
    const changes = changesOf(data.changed);
    return changes ? `${link}: ${changes}` : link;
  }
  if ((action === "END_USER_OFFBOARDED" || action === "END_USER_TOMBSTONED") && Array.isArray(data.unlinked)) {
    const links = data.unlinked.map(linkOf).filter((link) => link !== null);
    return links.length ? `unlinked ${links.join(", ")}` : null;
  }
  if (action === "CACHE_REFRESHED") {
    const report = syncReportSchema.safeParse(data);
    return report.success ? describeSyncCounts(report.data) : null;
  }
  return null;
}

/** Events about one linked Altur or Dify end-user (`data` names it). */
const PROVIDER_EVENTS = new Set<AuditRecord["action"]>([
  "PROVIDER_LINKED",
  "PROVIDER_REFRESHED",
  "PROVIDER_UNLINKED",
  "PROVIDER_MISSING",
]);

/** Events that record what a read of Conductor found changed there: the person or job only read it. */
const SEEN_IN_CONDUCTOR = new Set<AuditRecord["action"]>([
  "END_USER_CACHED",
  "END_USER_CHANGED_UPSTREAM",
  "END_USER_BACK_UPSTREAM",
  "END_USER_MISSING_UPSTREAM",
]);

const seenInConductor = ({ action, data }: AuditRecord) =>
  SEEN_IN_CONDUCTOR.has(action) || (action === "CONNECTION_STATUS_CHANGED" && data?.via === "conductor_record");

/** Who did it; for a change seen in Conductor, whose read found it (the change itself was made there). */
function By({ event }: { event: AuditRecord }) {
  const who = event.actor === SYSTEM_ACTOR ? <span className="muted">system</span> : event.actor;
  if (!seenInConductor(event)) return who;
  return (
    <>
      <span className="muted">read by </span>
      {who}
    </>
  );
}

function Detail({ event }: { event: AuditRecord }) {
  const detail = detailOf(event);
  return detail && <span className="sub">{detail}</span>;
}

/** The table's columns: their headings, and each cell's label when rows stack on a phone. */
const COLUMNS = {
  when: "When",
  what: "What",
  by: "By",
  endUser: "End-user",
  requestId: "Conductor request id",
};

/** Which end-user an event is about: its company (when cached, offboarded ones too), its id, its sourceId. */
function EndUserCell({ event, companyName }: { event: AuditRecord; companyName: string | undefined }) {
  return (
    <td data-label={COLUMNS.endUser}>
      {event.endUserId ? (
        <Link className={companyName ? undefined : "mono"} href={`/end-users/${event.endUserId}`}>
          {companyName ?? event.endUserId}
        </Link>
      ) : (
        none
      )}
      {event.endUserId && companyName && <span className="sub mono">{event.endUserId}</span>}
      {event.sourceId && <span className="sub mono">{event.sourceId}</span>}
    </td>
  );
}

/**
 * Audit events, newest first. With `companyNames` (the trail across end-users), each row also says
 * which end-user it is about, by those names, and Conductor's request id.
 */
export function AuditTable({
  label,
  events,
  companyNames,
}: {
  label: string;
  events: AuditRecord[];
  companyNames?: Map<string, string>;
}) {
  const acrossEndUsers = companyNames !== undefined;
  const { when, what, by, endUser, requestId } = COLUMNS;
  const columns = acrossEndUsers ? [when, what, by, endUser, requestId] : [when, what, by];
  return (
    <TableRegion label={label}>
      <table aria-label={label}>
        <ColumnHeadings columns={columns} />
        <tbody>
          {events.map((event) => (
            <tr key={event.id} data-action={event.action}>
              <td data-label={COLUMNS.when} className="nowrap">
                {formatTimestamp(event.at)}
              </td>
              <td data-label={COLUMNS.what}>
                {AUDIT_ACTIONS[event.action]}
                <Detail event={event} />
              </td>
              <td data-label={COLUMNS.by}>
                <By event={event} />
              </td>
              {acrossEndUsers && (
                <EndUserCell
                  event={event}
                  companyName={event.endUserId ? companyNames.get(event.endUserId) : undefined}
                />
              )}
              {acrossEndUsers && (
                <td data-label={COLUMNS.requestId} className="mono">
                  {event.conductorRequestId ?? none}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
