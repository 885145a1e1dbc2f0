import { reconcileReportSchema } from "@/lib/model/reconcile-report";
import { env } from "@/lib/platform/env";
import { reconcile } from "@/lib/use-cases/reconcile/reconcile";
import { route } from "@/lib/web/http/route";
import { otherMethodsThanJob } from "@/lib/web/http/method-not-allowed";

export const maxDuration = 300;

/** Called by Vercel Cron with `Authorization: Bearer $CRON_SECRET` (vercel.json). */
export const GET = route(
  {
    maxDuration,
    allow: "cron",
    summary: "Settles unfinished creations and offboardings, and refreshes the cache (Vercel Cron)",
    answers: { 200: { description: "What the job did", schema: reconcileReportSchema } },
  },
  async ({ actor, reply }) => reply(200, await reconcile(actor, { budgetMs: env.RECONCILE_BUDGET_SECONDS * 1000 })),
);

export const { HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = otherMethodsThanJob();
