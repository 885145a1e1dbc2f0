/** What run.ts has started, handed to each scenario. `app` serves the database of 10,000 cached rows. */
import path from "node:path";
import type { ServerProcess } from "@/tests/support/processes";
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
};

export const RUNS = 3;
