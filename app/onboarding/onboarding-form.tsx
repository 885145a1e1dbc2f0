"use client";

import { useActionState, useEffect, useLayoutEffect } from "react";
import { ActionCallBoundary, LostCallNotice, useLostCall } from "@/app/_components/action-call-boundary";
import { FormOutcome } from "@/app/_components/form-outcome";
import { idle, sentValue } from "@/lib/web/actions/form-state";
import { onboardAction } from "./actions";
import { forgetSubmitted, markSubmitted } from "@/app/_components/focus-after-submit";
import { Field, SubmitButton } from "@/app/_components/field";
import { submitFields } from "@/app/_components/submit-fields";
import { useShowNextStep } from "./steps-in-place";
import { COMPANY_NAME_INPUT_MAX_LENGTH } from "@/lib/model/company-name";

type Props = {
  /** The id of the customer the page was rendered for. */
  signedInAs: string;
  defaultCompanyName?: string;
  submitLabel?: string;
  /** What Conductor found wrong with `defaultCompanyName`, told beside the field until the next submit. */
  refusal?: string;
};

/** The company's name, sent to the onboarding action; a call that did not come back leaves the form as it was. */
export function OnboardingForm(props: Props) {
  return (
    <ActionCallBoundary>
      <CompanyForm {...props} />
    </ActionCallBoundary>
  );
}

function CompanyForm({ signedInAs, defaultCompanyName = "", submitLabel = "Connect my company", refusal }: Props) {
  const [state, action, pending] = useActionState(onboardAction, idle);
  const lostCall = useLostCall();
  const fieldErrors =
    state.status === "error" ? state.fields?.companyName : state === idle && refusal ? [refusal] : undefined;
  const showNextStep = useShowNextStep();
  const next = state.status === "success" ? state.next : undefined;
  // A form that shows its own submit's failure keeps the focus itself: nothing replaces it. A
  // problem with the name takes the focus to the field, where it is told and can be fixed.
  useEffect(() => {
    if (state === idle || next !== undefined) return;
    forgetSubmitted();
    if (state.status === "error" && state.fields?.companyName) document.getElementById("companyName")?.focus();
  }, [state, next]);
  // Shown again after a call that did not come back: the focus was on a button that is gone.
  useEffect(() => {
    if (!lostCall.lost) return;
    forgetSubmitted();
    document.getElementById("companyName")?.focus();
  }, [lostCall.lost]);
  // Before the browser paints the form's own outcome; the next step takes the focus as it mounts.
  useLayoutEffect(() => {
    if (next !== undefined) showNextStep(next);
  }, [next, showNextStep]);
  return (
    <form
      className="stack"
      action={action}
      onSubmit={submitFields((fields) => (lostCall.remember(fields), action(fields)), markSubmitted)}
      noValidate
    >
      <input type="hidden" name="signedInAs" value={signedInAs} />
      <Field
        id="companyName"
        label="Company name"
        name="companyName"
        type="text"
        required
        defaultValue={sentValue(state, "companyName") ?? lostCall.sent?.companyName ?? defaultCompanyName}
        autoComplete="organization"
        maxLength={COMPANY_NAME_INPUT_MAX_LENGTH}
        hint="As it should appear in Conductor, up to 255 characters."
        error={fieldErrors && `Company name ${fieldErrors.join("; ")}.`}
        // Back from a post without JavaScript, the page starts at the problem (with it, the effect above moves there).
        autoFocus={Boolean(fieldErrors)}
      />
      <FormOutcome state={state} hideError={Boolean(fieldErrors)} />
      {lostCall.lost && state === idle && (
        <LostCallNotice>
          We could not reach the server, or its answer did not arrive, so we cannot say whether your company was set up.
          Press the button again: it is never set up twice.
        </LostCallNotice>
      )}
      <SubmitButton pending={pending} label={submitLabel} busyLabel="Connecting…" />
    </form>
  );
}
