import Link from "next/link";
import type { ReactNode } from "react";
import { AUDIT_ACTION_NAMES, AUDIT_ACTIONS } from "@/lib/model/audit";

export const FILTER_NAMES = ["action", "actor", "endUserId", "sourceId", "since", "until"] as const;

type Values = Partial<Record<(typeof FILTER_NAMES)[number], string>>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date picker holds only a real day: an instant the URL gave, or a value that is neither (a
 * refused one such as 2026-13-45 included), goes in a text box instead, so it stays visible and is
 * sent again with the next filter.
 */
const dateInputType = (value: string | undefined, problems: string[] | undefined) =>
  !value || (DAY.test(value) && !problems?.length) ? "date" : "text";

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
          {label} {problems.join("; ")}.
        </p>
      )}
    </div>
  );
}

/** The filters as a plain GET form: the URL is the state, so a filtered view can be shared. */
export function AuditFilters({ values, problems }: { values: Values; problems: Record<string, string[]> }) {
  return (
    <form className="filters card" action="/audit" role="search" aria-label="Filter the audit trail">
      <Field name="action" label="Action" problems={problems.action}>
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
      <Field name="actor" label="By" problems={problems.actor}>
        {(props) => (
          <input {...props} name="actor" type="text" defaultValue={values.actor} placeholder="email, or system" />
        )}
      </Field>
      <Field name="endUserId" label="End-user id" problems={problems.endUserId}>
        {(props) => (
          <input {...props} name="endUserId" type="text" defaultValue={values.endUserId} placeholder="end_usr_…" />
        )}
      </Field>
      <Field name="sourceId" label="Source id" problems={problems.sourceId}>
        {(props) => <input {...props} name="sourceId" type="text" defaultValue={values.sourceId} />}
      </Field>
      <Field name="since" label="From" problems={problems.since}>
        {(props) => (
          <input
            {...props}
            name="since"
            type={dateInputType(values.since, problems.since)}
            defaultValue={values.since}
          />
        )}
      </Field>
      <Field name="until" label="Until" problems={problems.until}>
        {(props) => (
          <input
            {...props}
            name="until"
            type={dateInputType(values.until, problems.until)}
            defaultValue={values.until}
          />
        )}
      </Field>
      <div className="filter-buttons">
        <button type="submit">Filter</button>
        <Link className="button secondary" href="/audit">
          Clear
        </Link>
      </div>
    </form>
  );
}
