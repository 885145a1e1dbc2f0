"use client";

import { useActionState } from "react";
import { BusyButton } from "@/app/_components/busy-button";
import { FormOutcome } from "@/app/_components/form-outcome";
import { idle } from "@/lib/web/actions/form-state";
import { refreshAction } from "./actions";

export function RefreshForm() {
  const [state, action, pending] = useActionState(refreshAction, idle);
  return (
    <form action={action}>
      {/* Not disabled while it runs: a disabled button loses the keyboard's focus to the page. */}
      <BusyButton type="submit" className="secondary" busy={pending}>
        {pending && <span className="spinner" aria-hidden="true" />}
        {pending ? "Refreshing…" : "Refresh from Conductor"}
      </BusyButton>
      <div aria-live="polite">
        <FormOutcome state={state} />
      </div>
    </form>
  );
}
