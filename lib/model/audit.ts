import { z } from "zod";

/** Every kind of change the audit trail records, and how it reads to a person. */
export const AUDIT_ACTIONS = {
  END_USER_CREATED: "Created in Conductor",
  END_USER_REPAIRED: "Found in Conductor after an unconfirmed attempt, and recorded",
  ONBOARDING_FAILED: "Conductor did not create it: refused, or rate-limited",
  ONBOARDING_OUTCOME_UNKNOWN: "Creation sent, Conductor did not confirm",
  CACHE_REFRESHED: "Cache refreshed",
  PROVIDER_LINKED: "Provider end-user linked",
  PROVIDER_REFRESHED: "Provider end-user refreshed",
  PROVIDER_UNLINKED: "Provider end-user unlinked",
  OFFBOARDING_FAILED: "Conductor refused the deletion",
  OFFBOARDING_OUTCOME_UNKNOWN: "Deletion sent, Conductor did not confirm",
  END_USER_OFFBOARDED: "Offboarded: deleted in Conductor",
  END_USER_TOMBSTONED: "Marked offboarded: already gone from Conductor",
  AUTH_SESSION_CREATED: "QuickBooks Desktop setup opened",
  CONNECT_LINK_SENT: "QuickBooks Desktop setup link emailed",
  CONNECTION_STATUS_CHANGED: "QuickBooks Desktop connection status changed",
  END_USER_CACHED: "Cached from Conductor (created outside this app, or not yet recorded)",
  END_USER_MISSING_UPSTREAM: "No longer in Conductor's list",
  END_USER_BACK_UPSTREAM: "Found in Conductor again",
  END_USER_CHANGED_UPSTREAM: "Company name or email changed in Conductor",
  CONNECT_LINK_NOT_SENT: "QuickBooks Desktop setup opened for a link, but no email was sent",
  CONNECT_LINK_UNCONFIRMED: "QuickBooks Desktop setup link emailed, but the mail server did not confirm it in time",
  PROVIDER_MISSING: "Linked provider end-user no longer found at the provider",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];

/** How jobs are recorded; the trail shows each of them as "system". */
export const JOB_ACTORS = ["system", "cron", "scheduler", "cli"] as const;
export const SYSTEM_ACTOR = "system";

export type AuditEntry = {
  action: AuditAction;
  /** A person's email, or the job ("cron", "scheduler", "cli"): see auditActor. */
  actor: string;
  sourceId?: string;
  endUserId?: string;
  conductorRequestId?: string;
  /** Details worth keeping, as JSON. */
  data?: Record<string, unknown>;
};

/** An event as the trail shows it: `actor` is the person's email, or "system" for jobs. */
export const auditRecordSchema = z.object({
  id: z.string(),
  at: z.date(),
  action: z.enum(AUDIT_ACTION_NAMES),
  actor: z.string(),
  endUserId: z.string().nullable(),
  sourceId: z.string().nullable(),
  conductorRequestId: z.string().nullable(),
  /** Details worth keeping (what changed, Conductor's error), as JSON. */
  data: z.record(z.string(), z.unknown()).nullable(),
});

export type AuditRecord = z.infer<typeof auditRecordSchema>;

/** A keyset page of the trail: `nextCursor` continues it (null on the last page), `prevCursor` goes back (null on the first). */
export const auditPageSchema = z.object({
  data: z.array(auditRecordSchema),
  nextCursor: z.string().nullable(),
  prevCursor: z.string().nullable(),
});

export type AuditPage = z.infer<typeof auditPageSchema>;
