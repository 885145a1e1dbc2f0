/** What run.ts has started, handed to each scenario. `app` serves the database of 10,000 cached rows. */
import type { SignedIn } from "./seed";
import type { Server } from "./servers";

export type Bench = {
  databaseUrl: string;
  /** The sandbox Conductor over HTTP (in this process) and the keys it accepts. */
  conductor: { baseUrl: string; secretKey: string; publishableKey: string };
  /** The environment `next start` runs our app with. */
  appEnv: Record<string, string>;
  app: Server;
  baseline: Server;
  serviceToken: string;
  operator: SignedIn;
  /** A second instance of our app on a database holding only 10 cached rows (row 5). */
  tenRows: { app: Server; databaseUrl: string; operator: SignedIn };
};

export const RUNS = 3;
