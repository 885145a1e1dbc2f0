"use client";

import { useActionState } from "react";
import { BusyButton } from "@/app/_components/busy-button";
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

/** Refresh the linked end-user from its provider, or unlink it once the operator confirms which one. */
export function LinkedProviderButtons({ endUserId, provider, name, externalId }: Target & { externalId: string }) {
  const [refreshState, refresh, refreshing] = useActionState(refreshProviderAction, idle);
  const [unlinkState, unlink, unlinking] = useActionState(unlinkProviderAction, idle);
  const hidden = (
    <>
      <input type="hidden" name="endUserId" value={endUserId} />
      <input type="hidden" name="provider" value={provider} />
    </>
  );
  return (
    <div>
      <div className="actions">
        <form action={refresh}>
          {hidden}
          <BusyButton type="submit" className="secondary" busy={refreshing}>
            {refreshing ? "Refreshing…" : `Refresh from ${name}`}
          </BusyButton>
        </form>
        <details className="confirm">
          <summary>Unlink…</summary>
          <form action={unlink} className="stack">
            {hidden}
            <p>
              Unlink {name} end-user <span className="mono">{externalId}</span> from this customer? It can be linked
              again by its id.
            </p>
            <BusyButton type="submit" className="danger" busy={unlinking}>
              {unlinking ? "Unlinking…" : `Unlink the ${name} end-user`}
            </BusyButton>
          </form>
        </details>
      </div>
      <Outcome state={refreshState} />
      <Outcome state={unlinkState} />
    </div>
  );
}
