import type { RouteModule } from "@/lib/web/http/openapi";
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

/** Every documented route file of the API by its path template: each handler carries its own spec. */
export const routeModules: Record<string, RouteModule> = {
  "/api/end-users": endUsers,
  "/api/end-users/lookup": lookup,
  "/api/end-users/{id}": endUser,
  "/api/end-users/{id}/auth-sessions": authSessions,
  "/api/end-users/{id}/connect-link": connectLink,
  "/api/end-users/{id}/connection": connection,
  "/api/end-users/{id}/connection/check": connectionCheck,
  "/api/end-users/{id}/providers/{provider}": provider,
  "/api/audit": audit,
  "/api/audit.csv": auditCsv,
  "/api/cron/reconcile": reconcile,
  "/api/health": health,
};
