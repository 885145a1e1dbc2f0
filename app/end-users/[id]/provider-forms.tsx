"use client";

import { useActionState } from "react";
import { FormOutcome } from "@/app/_components/form-outcome";
import type { LinkedProvider } from "@/lib/model/providers";
import { idle, sentValue, type FormState } from "@/lib/web/actions/form-state";
import { linkProviderAction, refreshProviderAction, unlinkProviderAction } from "./actions";
import { Field, SubmitButton } from "@/app/_components/field";

type Target = { endUserId: string; provider: LinkedProvider; name: string };

/** Field problems show beside the field; anything else (Altur or Dify failing, say) as a notice. */
function Outcome({ state }: { state: FormState }) {
  return <FormOutcome state={state} hideError={state.status === "error" && Boolean(state.fields)} />;
}

export function LinkProviderForm({ endUserId, provider, name }: Target) {
  const [state, action, pending] = useActionState(linkProviderAction, idle);
  const errors = state.status === "error" ? state.fields?.externalId : undefined;
  const inputId = `${provider}-external-id`;
  return (
    <form className="stack" action={action}>
      <input type="hidden" name="endUserId" value={endUserId} />
      <input type="hidden" name="provider" value={provider} />
      <Field
        id={inputId}
        label={`${name} end-user id`}
        name="externalId"
        type="text"
        required
        placeholder="xxxxxxxx-xxxx-4xxx-xxxx-xxxxxxxxxxxx"
        defaultValue={sentValue(state, "externalId")}
        error={errors && `The id ${errors.join("; ")}.`}
      />
      <SubmitButton pending={pending} label={`Link ${name} end-user`} busyLabel="Linking…" />
      <Outcome state={state} />
    </form>
  );
}

export function LinkedProviderButtons({ endUserId, provider, name }: Target) {
  const [refreshState, refresh, refreshing] = useActionState(refreshProviderAction, idle);
  const [unlinkState, unlink, unlinking] = useActionState(unlinkProviderAction, idle);
  return (
    <div>
      <div className="actions">
        <form action={refresh}>
          <input type="hidden" name="endUserId" value={endUserId} />
          <input type="hidden" name="provider" value={provider} />
          <button type="submit" className="secondary" disabled={refreshing}>
            {refreshing ? "Refreshing…" : `Refresh from ${name}`}
          </button>
        </form>
        <form action={unlink}>
          <input type="hidden" name="endUserId" value={endUserId} />
          <input type="hidden" name="provider" value={provider} />
          <button type="submit" className="secondary" disabled={unlinking}>
            {unlinking ? "Unlinking…" : "Unlink"}
          </button>
        </form>
      </div>
      <Outcome state={refreshState} />
      <Outcome state={unlinkState} />
    </div>
  );
}
