/**
 * The one wrapper every server action goes through: session and role, then the form parsed with
 * zod (unknown fields rejected), then the work; every failure becomes a form state the page can
 * show next to the fields, never an exception.
 */
import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import type { Person } from "@/lib/model/actor";
import { GIVEN_TWICE } from "@/lib/model/text";
import { AppError } from "@/lib/platform/errors/app-error";
import { PAGE_MAX_DURATION_S, withinMaxDuration } from "@/lib/platform/function-deadline";
import { toAppError } from "@/lib/platform/errors/to-app-error";
import { fieldErrors, fieldsFromZodError } from "@/lib/platform/errors/validation";
import { getViewer } from "@/lib/web/auth/viewer";
import { personKey } from "@/lib/web/http/authenticate";
import { budgetSpent, hit, windowOf, type Budget } from "@/lib/web/rate-limit";
import { deferredBudget } from "@/lib/web/rate-limit/deferred";
import type { FormState, SentFields } from "./form-state";

type Spec<S extends z.ZodType> = {
  name: string;
  allow: Person["kind"][];
  schema: S;
  /**
   * Per signed-in person; with `key`, per what it names of the parsed form instead (an end-user,
   * say), spent by the action through `budget` once it is known that the person may act on it.
   */
  rateLimit?: Budget & { key?: (input: z.output<S>) => string };
  /** Throws for fields this person may not send: checked with the schema, before any budget is spent. */
  refuseInput?: (input: z.output<S>, viewer: Person) => void;
};

async function spend(key: string, budget: Budget): Promise<void> {
  const { limit, windowMs } = windowOf(budget);
  const decision = await hit([key], limit, windowMs);
  if (!decision.allowed) throw budgetSpent(budget, decision.retryAfterSeconds);
}

async function authorizedViewer(spec: Spec<z.ZodType>): Promise<Person> {
  const viewer = await getViewer();
  if (!viewer) throw new AppError("unauthenticated", "Your session has ended.");
  if (!spec.allow.includes(viewer.kind)) throw new AppError("forbidden");
  return viewer;
}

type Entries = [string, unknown][];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * The fields as sent, without React's own `$ACTION…` fields: a form's, posted without JavaScript
 * or passed by React, or the plain object a form of ours hands its action (`submitFields`). Null
 * for anything else.
 */
function fieldsOf(sent: unknown): Entries | null {
  const entries = sent instanceof FormData ? [...sent.entries()] : isPlainObject(sent) ? Object.entries(sent) : null;
  return entries && entries.filter(([key]) => !key.startsWith("$ACTION"));
}

/** The text among them, echoed to the caller's own form on failure (a session that ended included), never acted on. */
const sentText = (entries: Entries | null): SentFields | undefined =>
  entries
    ? Object.fromEntries(entries.filter((entry): entry is [string, string] => typeof entry[1] === "string"))
    : undefined;

/** What an action reports: a message, a link when it made one (a setup URL, say), what the page shows next. */
type Outcome = string | Omit<Extract<FormState, { status: "success" }>, "status">;

export function formAction<S extends z.ZodType>(
  spec: Spec<S>,
  run: (input: z.output<S>, viewer: Person, budget: () => Promise<void>) => Promise<Outcome>,
) {
  return (previous: FormState, sent: FormData | SentFields): Promise<FormState> =>
    withinMaxDuration(PAGE_MAX_DURATION_S, () => act(previous, sent));

  async function act(_previous: FormState, sent: unknown): Promise<FormState> {
    let keyed: ReturnType<typeof deferredBudget> | null = null;
    const entries = fieldsOf(sent);
    try {
      const viewer = await authorizedViewer(spec);
      // A forged call may pass anything, or nothing, where the browser passes the form.
      if (!entries) throw AppError.invalid({ form: ["is missing"] }, "The form could not be read.");
      const repeated = new Set(entries.map(([key]) => key).filter((key, i, keys) => keys.indexOf(key) !== i));
      if (repeated.size)
        throw AppError.invalid(
          fieldErrors([...repeated].map((key) => [key, GIVEN_TWICE] as const)),
          "Please correct the highlighted fields.",
        );
      const parsed = spec.schema.safeParse(Object.fromEntries(entries));
      if (!parsed.success)
        throw AppError.invalid(fieldsFromZodError(parsed.error), "Please correct the highlighted fields.");
      spec.refuseInput?.(parsed.data, viewer);
      const limit = spec.rateLimit;
      // Spent once the form is read and taken: a form refused for its fields changes nothing.
      if (limit && !limit.key) await spend(`${limit.scope}:${personKey(viewer)}`, limit);
      const key = limit?.key && `${limit.scope}:${limit.key(parsed.data)}`;
      keyed = deferredBudget(limit && key ? { key, budget: limit, spend: () => spend(key, limit) } : null);
      const outcome = await run(parsed.data, viewer, keyed.budget);
      keyed.assertSpent(`action ${spec.name}`);
      return typeof outcome === "string" ? { status: "success", message: outcome } : { status: "success", ...outcome };
    } catch (error) {
      unstable_rethrow(error);
      keyed?.settleFailure(error);
      const appError = toAppError(error, `action ${spec.name}`);
      const spentBudget = appError.code === "rate_limited" && appError.details.provider === undefined;
      return {
        status: "error",
        code: appError.code,
        message: appError.message,
        fields: appError.details.fields,
        conductorRequestId: appError.details.conductorRequestId,
        // Our own budgets' refusals only: an upstream's Retry-After is no promise the problem is over.
        retryAfterSeconds: spentBudget ? appError.details.retryAfterSeconds : undefined,
        values: sentText(entries),
      };
    }
  }
}
