/**
 * The audit trail for operators: GET /api/audit (JSON pages), GET /api/audit.csv (the same
 * filters, streamed page by page) and the /audit page.
 */
import "server-only";
import { findAuditEvents, type AuditFilter } from "@/lib/data/audit";
import { companyNamesOf } from "@/lib/data/end-users";
import { decodeCursor } from "@/lib/data/cursor";
import type { Actor } from "@/lib/model/actor";
import type { AuditPage, AuditRecord } from "@/lib/model/audit";
import { AppError } from "@/lib/platform/errors/app-error";
import { fieldsFromZodError } from "@/lib/platform/errors/validation";
import { log } from "@/lib/platform/log";
import { assertOperator } from "@/lib/use-cases/access";
import { setAsideNotice } from "@/lib/use-cases/set-aside-notice";
import { csvRow } from "./csv";
import { AUDIT_QUERY_FIELDS, auditQuerySchema, type AuditExportQuery, type AuditQuery } from "./schemas";

export type { AuditExportQuery, AuditPage, AuditQuery, AuditRecord };

const filterOf = ({ cursor: _cursor, limit: _limit, ...filter }: AuditExportQuery): AuditFilter => filter;

/** The API's shape of an event: times as ISO strings come from Response.json. */
export const publicAuditEvent = (event: AuditRecord) => ({
  id: event.id,
  at: event.at,
  action: event.action,
  actor: event.actor,
  endUserId: event.endUserId,
  sourceId: event.sourceId,
  conductorRequestId: event.conductorRequestId,
  data: event.data,
});

/** GET /api/audit: newest first, filtered, in keyset pages. */
export async function listAuditEvents(actor: Actor, query: AuditQuery): Promise<AuditPage> {
  assertOperator(actor);
  const page = await findAuditEvents(filterOf(query), { cursor: query.cursor, limit: query.limit });
  return { ...page, data: page.data.map(publicAuditEvent) };
}

export const CSV_COLUMNS = [
  "id",
  "at",
  "action",
  "actor",
  "endUserId",
  "sourceId",
  "conductorRequestId",
  "data",
] as const;

/** Rows fetched per query while exporting: memory stays bounded by one page, whatever the table holds. */
const EXPORT_PAGE = 1_000;

const csvLine = (event: AuditRecord) =>
  csvRow([
    event.id,
    event.at.toISOString(),
    event.action,
    event.actor,
    event.endUserId,
    event.sourceId,
    event.conductorRequestId,
    event.data === null ? null : JSON.stringify(event.data),
  ]);

/**
 * GET /api/audit.csv: every event the filters match (the cursor, if given, starts after it; with
 * a limit, that one page; a previous page's cursor only with a limit), as CSV streamed one keyset page at a time, each page read only when the
 * client has taken the previous one. The first page is read before answering, so a failure then
 * is an ordinary error answer; a failure later aborts the download (never a silently short file).
 */
export async function exportAuditCsv(
  actor: Actor,
  query: AuditExportQuery,
): Promise<{ csv: ReadableStream<Uint8Array>; nextCursor: string | null }> {
  assertOperator(actor);
  const filter = filterOf(query);
  // Read to the end, a previous page's cursor would give its page, then everything older again.
  if (query.cursor && !query.limit && decodeCursor("audit", query.cursor).newer)
    throw AppError.invalid({ cursor: ["is a previous page's cursor: with it, give limit for that one page"] });
  const encoder = new TextEncoder();
  let page = await findAuditEvents(filter, { cursor: query.cursor, limit: query.limit ?? EXPORT_PAGE });
  // One page asked for: nothing after it in this file, and the cursor of the next page for the caller.
  const nextCursor = query.limit ? page.nextCursor : null;
  if (query.limit) page = { ...page, nextCursor: null };
  let first = true;
  const csv = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!first) {
          if (!page.nextCursor) return controller.close();
          try {
            page = await findAuditEvents(filter, { cursor: page.nextCursor, limit: EXPORT_PAGE });
          } catch (error) {
            log.error("audit.export_failed", { message: (error as Error).message });
            return controller.error(error);
          }
        }
        // The byte order mark tells Excel the file is UTF-8; without it, non-ASCII names come out garbled.
        const header = first ? `\uFEFF${csvRow([...CSV_COLUMNS])}` : "";
        first = false;
        controller.enqueue(encoder.encode(header + page.data.map(csvLine).join("")));
        if (!page.nextCursor) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { csv, nextCursor };
}

export type AuditOverview = {
  query: AuditQuery | null;
  page: AuditPage;
  /** Field → messages when the filters could not be used (then nothing is listed). */
  problems: Record<string, string[]> | null;
  /**
   * Said when a parameter the page does not take was left out, or when the page link (its cursor
   * or size) could not be read and the first page is shown instead.
   */
  notice: string | null;
};

/** The page as the operator reads it: each event's end-user by its company's name as well as its id. */
export type AuditView = AuditOverview & { companyNames: Map<string, string> };

const PAGE_LINK_FIELDS = ["cursor", "limit"];

/** What the page says of parameters it does not take (a link's tracking parameter, say), which it left out. */
function leftOutNotice(fields: string[]): string | null {
  if (!fields.length) return null;
  const named = fields.map((field) => (field === "" ? "a parameter with no name" : `the parameter ${field}`));
  return `Left out what the audit trail does not take: ${named.join(" and ")}.`;
}

/** The /audit page: its overview (below), each event's end-user named by its company. */
export async function browseAudit(actor: Actor, raw: Record<string, unknown>): Promise<AuditView> {
  const overview = await overviewOf(actor, raw);
  const ids = new Set(overview.page.data.flatMap((event) => event.endUserId ?? []));
  return { ...overview, companyNames: await companyNamesOf([...ids]) };
}

/**
 * The /audit page: the same filters, from a form that leaves unused fields empty. A parameter it
 * does not take is left out, and a page link that cannot be read (a cursor from elsewhere, a size
 * out of range) is nothing the filters could correct: the first page of the same filters is
 * shown. Either way with a notice.
 */
async function overviewOf(actor: Actor, raw: Record<string, unknown>): Promise<AuditOverview> {
  assertOperator(actor);
  const given = Object.entries(raw).filter(([, value]) => value !== "" && value !== undefined);
  const taken = Object.fromEntries(given.filter(([field]) => AUDIT_QUERY_FIELDS.includes(field)));
  const leftOut = leftOutNotice(given.map(([field]) => field).filter((field) => !AUDIT_QUERY_FIELDS.includes(field)));
  const overview = await readAuditPage(actor, taken);
  const linkProblems = Object.entries(overview.problems ?? {}).filter(([field]) => PAGE_LINK_FIELDS.includes(field));
  if (!linkProblems.length) return { ...overview, notice: leftOut };
  const firstPage = Object.fromEntries(Object.entries(taken).filter(([field]) => !PAGE_LINK_FIELDS.includes(field)));
  const again = await readAuditPage(actor, firstPage);
  // With filters to correct as well, nothing is listed: the page link is only said to be set aside.
  const lead = again.problems ? "The page link was set aside too" : undefined;
  const setAside = setAsideNotice(Object.fromEntries(linkProblems), lead);
  return { ...again, notice: leftOut ? `${leftOut} ${setAside}` : setAside };
}

async function readAuditPage(actor: Actor, given: Record<string, unknown>): Promise<AuditOverview> {
  const parsed = auditQuerySchema.safeParse(given);
  if (!parsed.success)
    return {
      query: null,
      page: { data: [], nextCursor: null, prevCursor: null },
      problems: fieldsFromZodError(parsed.error),
      notice: null,
    };
  try {
    return { query: parsed.data, page: await listAuditEvents(actor, parsed.data), problems: null, notice: null };
  } catch (error) {
    if (!(error instanceof AppError) || !error.details.fields) throw error;
    return {
      query: parsed.data,
      page: { data: [], nextCursor: null, prevCursor: null },
      problems: error.details.fields,
      notice: null,
    };
  }
}
