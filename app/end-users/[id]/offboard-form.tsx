"use client";

import { useActionState } from "react";
import { FormOutcome } from "@/app/_components/form-outcome";
import { idle } from "@/lib/web/actions/form-state";
import { offboardAction } from "./actions";

/** The typed confirmation: the operator must type the company name before anything is deleted. */
export function OffboardForm({ endUserId, companyName }: { endUserId: string; companyName: string }) {
  const [state, action, pending] = useActionState(offboardAction, idle);
  const errors = state.status === "error" ? state.fields?.confirmation : undefined;
  return (
    <form className="stack" action={action}>
      <input type="hidden" name="endUserId" value={endUserId} />
      <div>
        <label htmlFor="offboard-confirmation">
          Type the company name, <span className="mono">{companyName}</span>, to confirm
        </label>
        <input
          id="offboard-confirmation"
          name="confirmation"
          type="text"
          autoComplete="off"
          spellCheck={false}
          required
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? "offboard-confirmation-error" : undefined}
        />
        {errors && (
          <p id="offboard-confirmation-error" className="field-error" role="alert">
            The name {errors.join("; ")}. Nothing was offboarded.
          </p>
        )}
      </div>
      <div>
        <button type="submit" className="danger" disabled={pending} aria-busy={pending}>
          {pending && <span className="spinner" aria-hidden="true" />}
          {pending ? "Offboarding…" : "Offboard"}
        </button>
      </div>
      <FormOutcome state={state} hideError={Boolean(errors)} />
    </form>
  );
}
