import { route } from "@/lib/http/route";
import { reconcile } from "@/lib/onboarding/reconcile";

export const maxDuration = 300;

/** Called by Vercel Cron with `Authorization: Bearer $CRON_SECRET` (vercel.json). */
export const GET = route({ allow: "cron" }, async () => Response.json(await reconcile("cron")));
