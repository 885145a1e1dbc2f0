/** Every kind of change the audit trail records, and how it reads to a person. */
export const AUDIT_ACTIONS = {
  END_USER_CREATED: "Created in Conductor",
  END_USER_REPAIRED: "Found in Conductor after an unconfirmed attempt, and recorded",
  ONBOARDING_FAILED: "Conductor refused the creation",
  ONBOARDING_OUTCOME_UNKNOWN: "Creation sent, Conductor did not confirm",
  CACHE_REFRESHED: "Cache refreshed",
  PROVIDER_LINKED: "Provider end-user linked",
  PROVIDER_REFRESHED: "Provider end-user refreshed",
  PROVIDER_UNLINKED: "Provider end-user unlinked",
  AUTH_SESSION_CREATED: "QuickBooks Desktop setup opened",
  CONNECT_LINK_SENT: "QuickBooks Desktop setup link emailed",
  CONNECTION_STATUS_CHANGED: "QuickBooks Desktop connection status changed",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export type AuditEntry = {
  action: AuditAction;
  /** A user id, or the kind of caller ("service", "cron", "scheduler", "cli"). */
  actor: string;
  sourceId?: string;
  endUserId?: string;
  /** Details worth keeping, as JSON. */
  data?: Record<string, unknown>;
};
