/** What run.ts has started, handed to each scenario. `app` serves the database of 10,000 cached rows. */
import path from "node:path";
import type { ServerProcess } from "@/tests/support/processes";
import type { ConductorSandboxStore } from "@/lib/sandbox/conductor/store";
import type { watchExchanges } from "./measure/upstream-exchanges";
import type { SignedIn } from "./seed";

/** Our app's build (leaving `.next` and the tests' `.next-test` alone). */
export const APP_DIST = ".next-bench";
/** A Next.js app of the bench's own: its folder, and where its next.config.mjs builds it. */
export type BenchApp = { dir: string; distDir: string };
/** The empty Next.js app: the baseline of First Load JS and cold start (row 7). */
export const EMPTY_APP: BenchApp = { dir: path.join("tests", "bench", "empty-next-app"), distDir: ".next-bench-empty" };
/** The empty app plus a form whose action only revalidates its page: what Next.js itself costs a server action (row 4). */
export const FLOOR_APP: BenchApp = { dir: path.join("tests", "bench", "floor-next-app"), distDir: ".next-bench-floor" };

export type Bench = {
  databaseUrl: string;
  /** The sandbox Conductor over HTTP (in this process) and the keys it accepts. */
  conductor: { baseUrl: string; secretKey: string; publishableKey: string };
  /** The environment `next start` runs our app with. */
  appEnv: Record<string, string>;
  app: ServerProcess;
  baseline: ServerProcess;
  /** FLOOR_APP, started. */
  floor: ServerProcess;
  serviceToken: string;
  operator: SignedIn;
  /** A second instance of our app on a database holding only 10 cached rows (row 5). */
  tenRows: { app: ServerProcess; databaseUrl: string; operator: SignedIn };
  /** A third instance on a database of 100,000 cached rows (rows 9, the cost curve). */
  hundredThousand: { app: ServerProcess; databaseUrl: string; operator: SignedIn };
  /** The sandbox Conductor's end-users, filled directly for the 100,000-row refresh. */
  conductorStore: ConductorSandboxStore;
  /** When the sandbox received and answered each request (row 4 splits a creation's time with it). */
  sandboxExchanges: ReturnType<typeof watchExchanges>;
};

export const RUNS = 3;
