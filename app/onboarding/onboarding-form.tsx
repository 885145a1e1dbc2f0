"use client";

import { useActionState } from "react";
import { FormOutcome } from "@/app/_components/form-outcome";
import { idle } from "@/lib/web/actions/form-state";
import { onboardAction } from "./actions";

export function OnboardingForm({
  defaultCompanyName = "",
  submitLabel = "Connect my company",
}: {
  defaultCompanyName?: string;
  submitLabel?: string;
}) {
  const [state, action, pending] = useActionState(onboardAction, idle);
  const fieldErrors = state.status === "error" ? state.fields?.companyName : undefined;
  return (
    <form className="stack" action={action} noValidate>
      <div>
        <label htmlFor="companyName">Company name</label>
        <input
          id="companyName"
          name="companyName"
          type="text"
          maxLength={255}
          required
          defaultValue={defaultCompanyName}
          autoComplete="organization"
          aria-invalid={fieldErrors ? true : undefined}
          aria-describedby="companyName-hint companyName-error"
        />
        <p id="companyName-hint" className="hint">
          As it should appear in Conductor, up to 255 characters.
        </p>
        {fieldErrors && (
          <p id="companyName-error" className="field-error" role="alert">
            Company name {fieldErrors.join("; ")}.
          </p>
        )}
      </div>
      <FormOutcome state={state} hideError={Boolean(fieldErrors)} />
      <div>
        <button type="submit" disabled={pending} aria-busy={pending}>
          {pending && <span className="spinner" aria-hidden="true" />}
          {pending ? "Connecting…" : submitLabel}
        </button>
      </div>
    </form>
  );
}
