import { auditExportQuerySchema } from "@/lib/use-cases/audit/schemas";
import { exportAuditCsv } from "@/lib/use-cases/audit/trail";
import { route } from "@/lib/web/http/route";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

export const maxDuration = 300;

/**
 * The audit trail as CSV, streamed: the same filters as GET /api/audit; every matching event, or
 * with `limit` its one page, and a `Link` header to the next page when there is one.
 */
export const GET = route(
  {
    maxDuration,
    allow: "operator",
    summary: "The audit trail as CSV, streamed",
    query: auditExportQuerySchema,
    answers: { 200: { description: "CSV with a header row", mediaType: "text/csv" } },
  },
  async ({ actor, query, request }) => {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
    const { csv, nextCursor } = await exportAuditCsv(actor, query);
    const headers = new Headers({
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="audit-${stamp}.csv"`,
    });
    // One page asked for, and more after it: where the next one is (RFC 8288).
    if (nextCursor) {
      const next = request.nextUrl.clone();
      next.searchParams.set("cursor", nextCursor);
      headers.set("link", `<${next.pathname}${next.search}>; rel="next"`);
    }
    return new Response(csv, { headers });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
