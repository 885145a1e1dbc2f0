/** npm run reconcile: finishes or repairs stale onboarding claims and syncs the cache, once. */
import { reconcile } from "@/lib/use-cases/reconcile/reconcile";

reconcile({ kind: "system", job: "cli" })
  .then((report) => {
    console.log(JSON.stringify(report, null, 2));
    process.exit(0);
  })
  .catch((error: Error) => {
    console.error(`reconcile failed: ${error.message}`);
    process.exit(1);
  });
