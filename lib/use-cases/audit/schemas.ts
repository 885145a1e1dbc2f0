/**
 * The audit trail's filters, as GET /api/audit, GET /api/audit.csv and the /audit page take them.
 * Dates are ISO 8601: a day (`2026-11-01`, whole days in UTC) or an instant with its offset.
 * `since` is inclusive and so is `until` (a day runs to its end).
 */
import { z } from "zod";
import { AUDIT_ACTION_NAMES, SYSTEM_ACTOR } from "@/lib/model/audit";
import { cursorSchema, optionalPageSizeSchema, pageSizeSchema } from "@/lib/model/page-size";
import { choiceError, queryText } from "@/lib/model/text";
import { cachedSourceIdSchema, endUserIdSchema } from "@/lib/use-cases/end-users/schemas";

const DAY_MS = 86_400_000;

const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: "must be an ISO 8601 date (2026-11-01) or date-time with offset (2026-11-01T09:30:00Z)",
});

const text = queryText();

/** What `instant` takes, for the API's document (the input side of a pipe shows only its text). */
const DAY_OR_INSTANT = [{ format: "date" }, { format: "date-time" }];

const filters = {
  action: z
    .enum(AUDIT_ACTION_NAMES, { error: choiceError(`must be one of ${AUDIT_ACTION_NAMES.join(", ")}`) })
    .optional(),
  actor: text
    .max(254, "must be at most 254 characters")
    .transform((value) => value.trim().toLowerCase())
    .refine(
      (value) => value === SYSTEM_ACTOR || z.email().safeParse(value).success,
      `must be a person's email address, or "${SYSTEM_ACTOR}" for jobs`,
    )
    .optional()
    .meta({ description: `Who acted: a person's email address (any case), or "${SYSTEM_ACTOR}" for jobs` }),
  endUserId: endUserIdSchema.optional(),
  sourceId: cachedSourceIdSchema.optional(),
  since: text.pipe(instant).optional().meta({
    description: "Events at or after: a day (2026-11-01, from its start in UTC) or a date-time with offset",
    anyOf: DAY_OR_INSTANT,
  }),
  until: text.pipe(instant).optional().meta({
    description: "Events up to: a day (2026-11-01, to its end in UTC) or a date-time with offset, inclusive",
    anyOf: DAY_OR_INSTANT,
  }),
  cursor: cursorSchema.optional(),
};

/** `since`/`until` read as the half-open range [since, before). */
function asRange<Q extends { since?: string; until?: string }>({ since, until, ...rest }: Q) {
  return {
    ...rest,
    since: since === undefined ? undefined : new Date(since),
    // A day includes all of it; an instant includes itself (times are kept to the millisecond).
    before: until === undefined ? undefined : new Date(new Date(until).getTime() + (until.length === 10 ? DAY_MS : 1)),
  };
}

const inOrder = (query: { since?: Date; before?: Date }) => !query.since || !query.before || query.since < query.before;
/** Said of `until` when it comes before `since`. */
export const OUT_OF_ORDER_MESSAGE = "must not be before since";
const OUT_OF_ORDER = { path: ["until"], message: OUT_OF_ORDER_MESSAGE };

/** The parameters a page of events takes. */
export const AUDIT_QUERY_FIELDS: readonly string[] = [...Object.keys(filters), "limit"];

/** GET /api/audit and the /audit page: a page of events. */
export const auditQuerySchema = z
  .strictObject({ ...filters, limit: pageSizeSchema(50) })
  .transform(asRange)
  .refine(inOrder, OUT_OF_ORDER);

/**
 * GET /api/audit.csv: every matching event (after `cursor`, if given); with `limit`, the page
 * GET /api/audit answers for the same query, so that a client can reuse its query string.
 */
export const auditExportQuerySchema = z
  .strictObject({
    ...filters,
    limit: optionalPageSizeSchema().meta({
      description: "At most this many events (1–100), as GET /api/audit pages them; without it, every matching event",
    }),
  })
  .transform(asRange)
  .refine(inOrder, OUT_OF_ORDER);

export type AuditQuery = z.output<typeof auditQuerySchema>;
export type AuditExportQuery = z.output<typeof auditExportQuerySchema>;
