import { auditExportQuerySchema } from "@/lib/use-cases/audit/schemas";
import { exportAuditCsv } from "@/lib/use-cases/audit/trail";
import { route } from "@/lib/web/http/route";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

export const maxDuration = 300;

/** The audit trail as CSV, streamed: the same filters as GET /api/audit; every matching event, or with `limit` its one page. */
export const GET = route(
  {
    maxDuration,
    allow: "operator",
    summary: "The audit trail as CSV, streamed",
    query: auditExportQuerySchema,
    answers: { 200: { description: "CSV with a header row", mediaType: "text/csv" } },
  },
  async ({ actor, query }) => {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
    return new Response(await exportAuditCsv(actor, query), {
      headers: {
        "content-type": "text/csv; charset=utf-8; header=present",
        "content-disposition": `attachment; filename="audit-${stamp}.csv"`,
        "cache-control": "no-store",
      },
    });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
