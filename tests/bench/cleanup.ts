/**
 * Everything the bench starts registers how to undo it here; `runAll` undoes it in reverse order,
 * on success, on failure and on Ctrl-C, so no database or process outlives the run.
 */
type Step = { label: string; run: () => Promise<void> | void };

const steps: Step[] = [];
let running: Promise<void> | undefined;

export function onCleanup(label: string, run: Step["run"]): void {
  steps.push({ label, run });
}

function runAll(): Promise<void> {
  running ??= (async () => {
    while (steps.length) {
      const step = steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        console.error(`cleanup (${step.label}) failed: ${(error as Error).message}`);
      }
    }
  })();
  return running;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping everything the bench started…`);
    void runAll().finally(() => process.exit(130));
  });
}

/** Runs a bench to its report: everything it started is stopped first, then the report is printed (or why it failed). */
export function runToReport(bench: Promise<string>): void {
  bench.then(
    async (report) => {
      await runAll();
      process.stdout.write(report.endsWith("\n") ? report : `${report}\n`);
    },
    async (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      await runAll();
      process.exitCode = 1;
    },
  );
}
