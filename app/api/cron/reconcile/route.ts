import { reconcile } from "@/lib/use-cases/reconcile/reconcile";
import { route } from "@/lib/web/http/route";

export const maxDuration = 300;

/** Called by Vercel Cron with `Authorization: Bearer $CRON_SECRET` (vercel.json). */
export const GET = route({ allow: "cron" }, async ({ actor }) => Response.json(await reconcile(actor)));
