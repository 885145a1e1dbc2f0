/** npm run reconcile: finishes or repairs stale onboarding claims and syncs the cache, once. */
// Imported, not loaded with the module: an invalid environment is told as this command's failure.
import("@/lib/use-cases/reconcile/reconcile")
  .then(({ reconcile }) => reconcile({ kind: "system", job: "cli" }))
  .then((report) => {
    console.log(JSON.stringify(report, null, 2));
    process.exit(0);
  })
  .catch((error: Error) => {
    console.error(`reconcile failed: ${error.message}`);
    process.exit(1);
  });
