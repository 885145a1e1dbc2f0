/**
 * GET /api/health: each part the app depends on, by name, and whether it answers. The database
 * and the rate limiter's store are asked on every call; the mail server at most every few seconds
 * per instance (anyone may poll this); Conductor never: its part is what this instance last heard
 * from it (lib/platform/upstream-health.ts). Names and modes only, never an address or a key.
 */
import "server-only";
import { z } from "zod";
import { pingDatabase, pingRateLimitStore } from "@/lib/data/health";
import { modes } from "@/lib/platform/env";
import { mailServerAnswers } from "@/lib/platform/mail/send";
import { singleton } from "@/lib/platform/singleton";
import { upstreamStatus } from "@/lib/platform/upstream-health";

const MAIL_OK_KEPT_MS = 10_000;
const MAIL_DOWN_KEPT_MS = 2_000;

type Probe = { at: number; up: boolean; pending: Promise<boolean> | null };
const mailProbe = () => singleton("health.mailProbe", (): Probe => ({ at: 0, up: true, pending: null }));

/** The mail server's answer, asked at most once at a time and kept a few seconds (less when it failed, so recovery shows soon). */
async function mailAnswers(): Promise<boolean> {
  const probe = mailProbe();
  const now = Date.now();
  if (probe.at && now - probe.at < (probe.up ? MAIL_OK_KEPT_MS : MAIL_DOWN_KEPT_MS)) return probe.up;
  probe.pending ??= mailServerAnswers().then((up) => {
    Object.assign(probe, { at: Date.now(), up, pending: null });
    return up;
  });
  return probe.pending;
}

const partStatus = z.enum(["ok", "unavailable"]);
const providerMode = z.enum(["live", "sandbox"]);

const partsSchema = z.object({
  database: z.object({ status: partStatus, mode: z.enum(["embedded", "external"]) }),
  rateLimitStore: z.object({ status: partStatus, store: z.enum(["postgres", "redis"]) }),
  mail: z.object({ status: partStatus, mode: z.enum(["smtp", "sandbox-mailbox"]) }),
  /** What this instance last heard from Conductor: `unknown` when it has not called it lately. */
  conductor: z.object({ status: z.enum(["ok", "unavailable", "unknown"]), mode: providerMode }),
});

/** What GET /api/health answers: every part by name, its status and mode, and which are down. */
export const healthSchema = z.object({
  ok: z.boolean(),
  database: partStatus,
  conductor: providerMode,
  down: z.array(partsSchema.keyof()),
  parts: partsSchema,
});

export type Health = z.infer<typeof healthSchema>;

const status = (up: boolean) => (up ? ("ok" as const) : ("unavailable" as const));

export async function checkHealth(): Promise<Health> {
  const [database, mail] = await Promise.all([pingDatabase(), mailAnswers()]);
  const rateLimit = await pingRateLimitStore(database);
  const parts = {
    database: { status: status(database), mode: modes.database },
    rateLimitStore: { status: status(rateLimit.answers), store: rateLimit.store },
    mail: { status: status(mail), mode: modes.mail },
    conductor: { status: upstreamStatus("conductor"), mode: modes.conductor },
  };
  const down = (Object.keys(parts) as (keyof typeof parts)[]).filter((name) => parts[name].status === "unavailable");
  return { ok: down.length === 0, database: status(database), conductor: modes.conductor, down, parts };
}
