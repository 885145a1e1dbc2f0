import { z } from "zod";
import { authSessionSchema } from "@/lib/model/auth-session";
import { connectionSchema } from "@/lib/model/connection";
import { endUserSchema } from "@/lib/model/end-user";
import { linkedIdentitySchema } from "@/lib/model/linked-identity";
import type { Operation } from "@/lib/web/http/openapi";
import * as auditCsv from "@/app/api/audit.csv/route";
import * as audit from "@/app/api/audit/route";
import * as reconcile from "@/app/api/cron/reconcile/route";
import * as authSessions from "@/app/api/end-users/[id]/auth-sessions/route";
import * as connectLink from "@/app/api/end-users/[id]/connect-link/route";
import * as connectionCheck from "@/app/api/end-users/[id]/connection/check/route";
import * as connection from "@/app/api/end-users/[id]/connection/route";
import * as provider from "@/app/api/end-users/[id]/providers/[provider]/route";
import * as endUser from "@/app/api/end-users/[id]/route";
import * as lookup from "@/app/api/end-users/lookup/route";
import * as endUsers from "@/app/api/end-users/route";
import * as health from "@/app/api/health/route";

const withEndUser = z.object({ endUser: endUserSchema });
const withConnection = z.object({ connection: connectionSchema });
const withLink = z.object({ link: linkedIdentitySchema });

/** Every JSON route of the API: its handler (which carries the schemas it validates with) and what it answers. */
export const operations: Operation[] = [
  {
    method: "get",
    path: "/api/end-users",
    summary: "Cached end-users, newest first, with counts per connection status",
    spec: endUsers.GET.spec,
    success: { status: 200, description: "`{data: EndUser[], nextCursor, counts}`" },
  },
  {
    method: "post",
    path: "/api/end-users",
    summary: "Creates the caller's (or, for an operator, any) Conductor end-user exactly once per sourceId",
    spec: endUsers.POST.spec,
    success: { status: 201, description: "Created now (200 when it already existed)", schema: withEndUser },
  },
  {
    method: "get",
    path: "/api/end-users/lookup",
    summary: "Which Conductor id has this sourceId, or the reverse, from the cache",
    spec: lookup.GET.spec,
    success: { status: 200, description: "The mapping and its connection status" },
  },
  {
    method: "get",
    path: "/api/end-users/{id}",
    summary:
      "Retrieves the end-user from Conductor (or from a cache synced seconds ago); the cached copy when Conductor fails or the caller's budget of Conductor reads is spent",
    spec: endUser.GET.spec,
    success: { status: 200, description: "`{endUser, fresh, notice?, conductorRequestId?}`" },
  },
  {
    method: "delete",
    path: "/api/end-users/{id}",
    summary: "Offboards: deletes the end-user in Conductor and keeps a tombstone",
    spec: endUser.DELETE.spec,
    success: { status: 200, description: "`{deleted: {id, sourceId, deletedAt}}`" },
  },
  {
    method: "post",
    path: "/api/end-users/{id}/auth-sessions",
    summary: "Creates a QuickBooks Desktop auth session; open its authFlowUrl on the computer that runs QuickBooks",
    spec: authSessions.POST.spec,
    success: { status: 201, description: "The auth session", schema: z.object({ authSession: authSessionSchema }) },
  },
  {
    method: "post",
    path: "/api/end-users/{id}/connect-link",
    summary: "Emails the end-user a fresh QuickBooks Desktop setup link",
    spec: connectLink.POST.spec,
    success: { status: 202, description: "`{sentTo, expiresAt}`" },
  },
  {
    method: "get",
    path: "/api/end-users/{id}/connection",
    summary: "The cached QuickBooks Desktop connection status",
    spec: connection.GET.spec,
    success: { status: 200, description: "The connection", schema: withConnection },
  },
  {
    method: "post",
    path: "/api/end-users/{id}/connection/check",
    summary: "Runs Conductor's QuickBooks Desktop health check now and stores the outcome",
    spec: connectionCheck.POST.spec,
    success: { status: 200, description: "The connection", schema: withConnection },
  },
  ...(["get", "put"] as const).map((method) => ({
    method,
    path: "/api/end-users/{id}/providers/{provider}",
    summary: method === "get" ? "The cached Altur or Dify link" : "Links (or refreshes) an Altur or Dify end-user",
    spec: method === "get" ? provider.GET.spec : provider.PUT.spec,
    success: { status: 200, description: "The link", schema: withLink },
  })),
  {
    method: "delete",
    path: "/api/end-users/{id}/providers/{provider}",
    summary: "Unlinks the Altur or Dify end-user",
    spec: provider.DELETE.spec,
    success: { status: 204, description: "Unlinked" },
  },
  {
    method: "get",
    path: "/api/audit",
    summary: "The audit trail, newest first",
    spec: audit.GET.spec,
    success: { status: 200, description: "`{data: AuditEvent[], nextCursor}`" },
  },
  {
    method: "get",
    path: "/api/audit.csv",
    summary: "The audit trail as CSV, streamed",
    spec: auditCsv.GET.spec,
    success: { status: 200, description: "CSV with a header row", mediaType: "text/csv" },
  },
  {
    method: "get",
    path: "/api/cron/reconcile",
    summary: "Settles unfinished creations and offboardings, and refreshes the cache (Vercel Cron)",
    spec: reconcile.GET.spec,
    success: { status: 200, description: "What the job did" },
  },
  {
    method: "get",
    path: "/api/health",
    summary: "Each part by name (database, rate-limit store, mail, Conductor) and which are down",
    spec: health.GET.spec,
    success: {
      status: 200,
      description: "`{ok, database, conductor, down, parts}` (503 only while the database is down)",
    },
  },
];
