"use client";

import { useActionState, useEffect } from "react";
import { forgetSubmitted, markSubmitted } from "@/app/_components/focus-after-submit";
import { FormOutcome } from "@/app/_components/form-outcome";
import { idle } from "@/lib/web/actions/form-state";
import { offboardAction } from "./actions";
import { Field, SubmitButton } from "@/app/_components/field";

/** The typed confirmation: the operator must type the company name before anything is deleted. */
export function OffboardForm({ endUserId, companyName }: { endUserId: string; companyName: string }) {
  const [state, action, pending] = useActionState(offboardAction, idle);
  const errors = state.status === "error" ? state.fields?.confirmation : undefined;
  // Offboarded, the page's banner takes the form's place and the focus. A refusal keeps the form:
  // a mistyped name is told beside the field, and the focus goes there, to type it again.
  useEffect(() => {
    if (state.status !== "error") return;
    forgetSubmitted();
    if (state.fields?.confirmation) document.getElementById("offboard-confirmation")?.focus();
  }, [state]);
  return (
    // noValidate: an empty box gets this form's own error beside it, as a wrong name does.
    <form className="stack" action={action} onSubmit={markSubmitted} noValidate>
      <input type="hidden" name="endUserId" value={endUserId} />
      <Field
        id="offboard-confirmation"
        label={
          <>
            Type the company name, <span className="mono">{companyName}</span>, to confirm
          </>
        }
        name="confirmation"
        type="text"
        autoComplete="off"
        spellCheck={false}
        required
        error={errors && `The name ${errors.join("; ")}. Nothing was offboarded.`}
        // Back from a post without JavaScript, the page starts at the problem (with it, the effect above moves there).
        autoFocus={Boolean(errors)}
      />
      <SubmitButton pending={pending} className="danger" label="Offboard" busyLabel="Offboarding…" />
      <FormOutcome state={state} hideError={Boolean(errors)} />
    </form>
  );
}
