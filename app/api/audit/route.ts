import { auditPageSchema } from "@/lib/model/audit";
import { auditQuerySchema } from "@/lib/use-cases/audit/schemas";
import { listAuditEvents } from "@/lib/use-cases/audit/trail";
import { route } from "@/lib/web/http/route";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

export const GET = route(
  {
    allow: "operator",
    summary: "The audit trail, newest first",
    query: auditQuerySchema,
    answers: { 200: { description: "A keyset page of audit events", schema: auditPageSchema } },
  },
  async ({ actor, query, reply }) => reply(200, await listAuditEvents(actor, query)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
