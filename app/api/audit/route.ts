import { auditQuerySchema } from "@/lib/use-cases/audit/schemas";
import { listAuditEvents } from "@/lib/use-cases/audit/trail";
import { route } from "@/lib/web/http/route";

export const GET = route({ allow: "operator", query: auditQuerySchema }, async ({ actor, query }) =>
  Response.json(await listAuditEvents(actor, query)),
);
