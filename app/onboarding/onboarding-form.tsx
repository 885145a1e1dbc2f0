"use client";

import { useActionState, useEffect, useLayoutEffect } from "react";
import { FormOutcome } from "@/app/_components/form-outcome";
import { idle, sentValue } from "@/lib/web/actions/form-state";
import { onboardAction } from "./actions";
import { forgetSubmitted, markSubmitted } from "@/app/_components/focus-after-submit";
import { Field, SubmitButton } from "@/app/_components/field";
import { submitFields } from "@/app/_components/submit-fields";
import { useShowNextStep } from "./steps-in-place";
import { COMPANY_NAME_INPUT_MAX_LENGTH } from "@/lib/model/company-name";

export function OnboardingForm({
  signedInAs,
  defaultCompanyName = "",
  submitLabel = "Connect my company",
}: {
  /** The id of the customer the page was rendered for. */
  signedInAs: string;
  defaultCompanyName?: string;
  submitLabel?: string;
}) {
  const [state, action, pending] = useActionState(onboardAction, idle);
  const fieldErrors = state.status === "error" ? state.fields?.companyName : undefined;
  const showNextStep = useShowNextStep();
  const next = state.status === "success" ? state.next : undefined;
  // A form that shows its own submit's failure keeps the focus itself: nothing replaces it. A
  // problem with the name takes the focus to the field, where it is told and can be fixed.
  useEffect(() => {
    if (state === idle || next !== undefined) return;
    forgetSubmitted();
    if (state.status === "error" && state.fields?.companyName) document.getElementById("companyName")?.focus();
  }, [state, next]);
  // Before the browser paints the form's own outcome; the next step takes the focus as it mounts.
  useLayoutEffect(() => {
    if (next !== undefined) showNextStep(next);
  }, [next, showNextStep]);
  return (
    <form className="stack" action={action} onSubmit={submitFields(action, markSubmitted)} noValidate>
      <input type="hidden" name="signedInAs" value={signedInAs} />
      <Field
        id="companyName"
        label="Company name"
        name="companyName"
        type="text"
        required
        defaultValue={sentValue(state, "companyName") ?? defaultCompanyName}
        autoComplete="organization"
        maxLength={COMPANY_NAME_INPUT_MAX_LENGTH}
        hint="As it should appear in Conductor, up to 255 characters."
        error={fieldErrors && `Company name ${fieldErrors.join("; ")}.`}
      />
      <FormOutcome state={state} hideError={Boolean(fieldErrors)} />
      <SubmitButton pending={pending} label={submitLabel} busyLabel="Connecting…" />
    </form>
  );
}
