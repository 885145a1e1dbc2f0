"use client";

import { useActionState, useEffect } from "react";
import { BusyButton } from "@/app/_components/busy-button";
import { forgetSubmitted, markSubmitted } from "@/app/_components/focus-after-submit";
import { FormOutcome } from "@/app/_components/form-outcome";
import { idle } from "@/lib/web/actions/form-state";
import { markOffboardedAction } from "./actions";

/**
 * One click for a row Conductor no longer lists: Conductor is asked first, then it is tombstoned.
 * Either answer takes the row's form away (the page says what happened); a failure keeps it here.
 */
export function MarkOffboardedForm({ endUserId, companyName }: { endUserId: string; companyName: string }) {
  const [state, action, pending] = useActionState(markOffboardedAction, idle);
  useEffect(() => {
    if (state !== idle) forgetSubmitted();
  }, [state]);
  return (
    <form action={action} className="inline-form" onSubmit={markSubmitted}>
      <input type="hidden" name="endUserId" value={endUserId} />
      <BusyButton
        type="submit"
        className="secondary small"
        busy={pending}
        aria-describedby={`mark-offboarded-${endUserId}`}
      >
        {pending ? "Checking…" : "Mark offboarded"}
      </BusyButton>
      <span id={`mark-offboarded-${endUserId}`} className="visually-hidden">
        {companyName}: asks Conductor first, and marks it offboarded only if Conductor no longer has it
      </span>
      <FormOutcome state={state} />
    </form>
  );
}
