/** What run.ts has started, handed to each scenario. `app` serves the database of 10,000 cached rows. */
import path from "node:path";
import type { ServerProcess } from "@/tests/support/processes";
import type { ConductorSandboxStore } from "@/lib/sandbox/conductor/store";
import type { SignedIn } from "./seed";

/** Our app's build (leaving `.next` and the tests' `.next-test` alone). */
export const APP_DIST = ".next-bench";
/** The empty Next.js app, built into `.next-bench-empty` (its next.config.mjs). */
export const EMPTY_APP = path.join("tests", "bench", "empty-next-app");
export const EMPTY_DIST = ".next-bench-empty";

export type Bench = {
  databaseUrl: string;
  /** The sandbox Conductor over HTTP (in this process) and the keys it accepts. */
  conductor: { baseUrl: string; secretKey: string; publishableKey: string };
  /** The environment `next start` runs our app with. */
  appEnv: Record<string, string>;
  app: ServerProcess;
  baseline: ServerProcess;
  serviceToken: string;
  operator: SignedIn;
  /** A second instance of our app on a database holding only 10 cached rows (row 5). */
  tenRows: { app: ServerProcess; databaseUrl: string; operator: SignedIn };
  /** A third instance on a database of 100,000 cached rows (rows 9, the cost curve). */
  hundredThousand: { app: ServerProcess; databaseUrl: string; operator: SignedIn };
  /** The sandbox Conductor's end-users, filled directly for the 100,000-row refresh. */
  conductorStore: ConductorSandboxStore;
};

export const RUNS = 3;
