import { z } from "zod";
import { connectionStatusSchema } from "@/lib/model/connection";
import { endUserSchema } from "@/lib/model/end-user";
import { cursorSchema, pageSizeSchema } from "@/lib/model/page-size";
import { queryNumber } from "@/lib/model/query-number";
import { tidied } from "@/lib/model/shown-text";
import { choiceError, queryText, text, withoutDirectionControls } from "@/lib/model/text";

/** Conductor end-user ids as they appear in pages and routes (`end_usr_…`). */
export const endUserIdSchema = text()
  .max(100, "must be at most 100 characters")
  .regex(/^end_usr_[A-Za-z0-9]+$/, "must be a Conductor end-user id (end_usr_…)");

/**
 * A sourceId to find what is cached under it: whatever Conductor holds, which another app may have
 * set with spaces. A new end-user's sourceId follows the stricter rule of onboarding's input.
 */
export const cachedSourceIdSchema = queryText().min(1, "must not be empty").max(255, "must be at most 255 characters");

/** Rows a page of end-users holds when `limit` is not given. */
export const END_USERS_PAGE_SIZE = 25;

export const listQuerySchema = z.strictObject({
  // Counted composed: an accent typed as a mark of its own (as macOS pastes it) is one character.
  q: queryText()
    // The page shows the search back: an override would reverse the rest of its line.
    .refine(withoutDirectionControls.check, withoutDirectionControls.params)
    .refine((value) => value.normalize("NFC").length <= 200, "must be at most 200 characters")
    // Tidied as names are stored, so what a customer typed, pasted here, finds what was saved
    // (names are then compared folded, lib/data/end-user-search.ts; emails in either Unicode form).
    .transform(tidied)
    // The document states the bound on what is sent: more than 200 characters can only pass as
    // fewer once composed, so no client held to it sends what the handler refuses.
    .meta({
      description:
        "Part of a company name or email, or a whole sourceId, id, or linked Altur or Dify id: at most 200 characters, no text-direction controls",
      maxLength: 200,
    })
    .optional(),
  status: connectionStatusSchema.optional(),
  cursor: cursorSchema.optional(),
  limit: pageSizeSchema(END_USERS_PAGE_SIZE),
  include: z.literal("deleted", { error: choiceError('must be "deleted" when given') }).optional(),
});

/** The most `maxAge` takes: an hour, as CONDUCTOR_READ_FRESH_SECONDS. */
export const MAX_AGE_SECONDS_MAX = 3_600;

export const retrieveQuerySchema = z.strictObject({
  cache: z.literal("only", { error: choiceError('must be "only" when given') }).optional(),
  maxAge: queryNumber(
    z.number().int().min(0).max(MAX_AGE_SECONDS_MAX, `must be at most ${MAX_AGE_SECONDS_MAX}`).optional(),
  ).meta({
    description:
      "Seconds: a cached copy synced this recently counts as Conductor's and answers without asking it. " +
      "Without it, the route asks Conductor, and with cache=only, CONDUCTOR_READ_FRESH_SECONDS decides what is called fresh",
  }),
});

/** GET /api/end-users: a keyset page, and how many end-users the search shows in each status. */
export const endUserListSchema = z.object({
  data: z.array(endUserSchema),
  /** The next (older) page's cursor, null on the last page. */
  nextCursor: z.string().nullable(),
  /** The previous (newer) page's cursor, null on the first page. */
  prevCursor: z.string().nullable(),
  counts: z.record(connectionStatusSchema, z.number().int().nonnegative()),
});

/**
 * One end-user, fresh from Conductor, or the cached copy (`fresh: false`) with a notice saying why
 * and how old it is, and Conductor's request id when Conductor answered with an error.
 */
export const retrievedEndUserSchema = z.object({
  endUser: endUserSchema,
  fresh: z.boolean().meta({
    description:
      "Whether the copy is Conductor's: asked now, or synced within maxAge seconds (with cache=only and no maxAge, CONDUCTOR_READ_FRESH_SECONDS); endUser.syncedAt says when",
  }),
  notice: z.string().optional(),
  conductorRequestId: z.string().optional(),
});

export type EndUserList = z.infer<typeof endUserListSchema>;
