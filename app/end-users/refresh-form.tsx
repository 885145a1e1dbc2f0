"use client";

import { useActionState } from "react";
import { FormOutcome } from "@/app/_components/form-outcome";
import { idle } from "@/lib/web/actions/form-state";
import { refreshAction } from "./actions";

export function RefreshForm() {
  const [state, action, pending] = useActionState(refreshAction, idle);
  return (
    <form action={action}>
      <button type="submit" className="secondary" disabled={pending} aria-busy={pending}>
        {pending && <span className="spinner" aria-hidden="true" />}
        {pending ? "Refreshing…" : "Refresh from Conductor"}
      </button>
      <div aria-live="polite">
        <FormOutcome state={state} />
      </div>
    </form>
  );
}
