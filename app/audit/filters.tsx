import Link from "next/link";
import { z } from "zod";
import type { ReactNode } from "react";
import { AUDIT_ACTION_NAMES, AUDIT_ACTIONS } from "@/lib/model/audit";
import { OUT_OF_ORDER_MESSAGE } from "@/lib/use-cases/audit/schemas";
import { MarksArrival } from "@/app/_components/focus-after-submit";

export const FILTER_NAMES = ["action", "actor", "endUserId", "sourceId", "since", "until"] as const;

const LABELS: Record<(typeof FILTER_NAMES)[number], string> = {
  action: "Action",
  actor: "By",
  endUserId: "End-user id",
  sourceId: "Source id",
  since: "From",
  until: "Until",
};

/** What the page says of filters it could not use (unreadable, or out of order), by their labels in the form. */
export function describeProblems(problems: Record<string, string[]>): string {
  const fields = Object.keys(problems);
  const known = FILTER_NAMES.filter((name) => fields.includes(name)).map((name) => LABELS[name]);
  return `These filters could not be used: ${known.join(", ")}. Correct them as said beside each, and filter again.`;
}

/** The API's words for a problem, where the form names the same thing by its label. */
const IN_THE_FORM: Record<string, string> = { [OUT_OF_ORDER_MESSAGE]: `must not be before ${LABELS.since}` };

/**
 * What the form's boxes show of the URL: each filter's value, or its first non-empty one when it
 * was given more than once (the problem says so beside it, and filtering again sends that one alone).
 */
export function formValues(raw: Record<string, string | string[] | undefined>): Values {
  return Object.fromEntries(
    FILTER_NAMES.flatMap((name) => {
      const value = [raw[name]].flat().find((given) => given);
      return value ? [[name, value]] : [];
    }),
  );
}

type Values = Partial<Record<(typeof FILTER_NAMES)[number], string>>;

/** The filters the URL gives once and not empty: what the view is filtered by, and what its links carry on. */
export const givenFilters = (raw: Record<string, string | string[] | undefined>): Values =>
  Object.fromEntries(
    FILTER_NAMES.flatMap((name) => (typeof raw[name] === "string" && raw[name] ? [[name, raw[name]]] : [])),
  );

/** A day of the calendar (2026-02-30 is none), which a date picker can hold. */
const REAL_DAY = z.iso.date();

/**
 * A date picker holds only a real day: an instant the URL gave, or a value that is neither (such
 * as 2026-13-45), goes in a text box instead, so it stays visible and is sent again with the next
 * filter.
 */
const dateInputType = (value: string | undefined) => (!value || REAL_DAY.safeParse(value).success ? "date" : "text");

function Field({
  name,
  label,
  problems,
  children,
}: {
  name: string;
  label: string;
  problems?: string[];
  children: (props: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}) {
  const id = `filter-${name}`;
  const errorId = `${id}-error`;
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(problems ? { "aria-invalid": true, "aria-describedby": errorId } : {}) })}
      {problems && (
        <p id={errorId} className="field-error">
          {`${label} ${problems.map((problem) => IN_THE_FORM[problem] ?? problem).join("; ")}.`}
        </p>
      )}
    </div>
  );
}

/**
 * The filters as a plain GET form: the URL is the state, so a filtered view can be shared. The
 * page size the view was read with, if any, is kept.
 */
export function AuditFilters({
  values,
  problems,
  pageSize,
}: {
  values: Values;
  problems: Record<string, string[]>;
  pageSize?: string;
}) {
  return (
    <form className="filters card" action="/audit" role="search" aria-label="Filter the audit trail">
      {pageSize && <input type="hidden" name="limit" value={pageSize} />}
      <Field name="action" label={LABELS.action} problems={problems.action}>
        {(props) => (
          <select {...props} name="action" defaultValue={values.action ?? ""}>
            <option value="">Any action</option>
            {AUDIT_ACTION_NAMES.map((action) => (
              <option key={action} value={action}>
                {AUDIT_ACTIONS[action]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="actor" label={LABELS.actor} problems={problems.actor}>
        {(props) => (
          <input {...props} name="actor" type="text" defaultValue={values.actor} placeholder="email, or system" />
        )}
      </Field>
      <Field name="endUserId" label={LABELS.endUserId} problems={problems.endUserId}>
        {(props) => (
          <input {...props} name="endUserId" type="text" defaultValue={values.endUserId} placeholder="end_usr_…" />
        )}
      </Field>
      <Field name="sourceId" label={LABELS.sourceId} problems={problems.sourceId}>
        {(props) => <input {...props} name="sourceId" type="text" defaultValue={values.sourceId} />}
      </Field>
      <Field name="since" label={LABELS.since} problems={problems.since}>
        {(props) => <input {...props} name="since" type={dateInputType(values.since)} defaultValue={values.since} />}
      </Field>
      <Field name="until" label={LABELS.until} problems={problems.until}>
        {(props) => <input {...props} name="until" type={dateInputType(values.until)} defaultValue={values.until} />}
      </Field>
      <MarksArrival on="submit" />
      <div className="filter-buttons">
        <MarksArrival on="link" />
        <button type="submit">Filter</button>
        <Link className="button secondary" href="/audit">
          Clear
        </Link>
      </div>
    </form>
  );
}
