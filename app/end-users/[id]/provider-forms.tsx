"use client";

import { useActionState, useEffect, useRef, useState, type ReactNode } from "react";
import { BusyButton } from "@/app/_components/busy-button";
import { Field, SubmitButton } from "@/app/_components/field";
import { FormOutcome } from "@/app/_components/form-outcome";
import type { LinkedProvider, ProviderIdFormat } from "@/lib/model/providers";
import { idle, sentValue, type FormState } from "@/lib/web/actions/form-state";
import { linkProviderAction, refreshProviderAction, unlinkProviderAction } from "./actions";

type Target = { endUserId: string; provider: LinkedProvider; name: string };
type Step = "link" | "refresh" | "unlink";

/**
 * One provider's card below its facts: the link form, or Refresh and Unlink (asked first, in a
 * details element that works without JavaScript). The outcomes live here, above both, so what an
 * unlink or a link said stays on screen when the card turns into the other form, and the focus
 * follows it there.
 */
export function ProviderControls({
  endUserId,
  provider,
  name,
  idFormat,
  externalId,
  suggested,
  children,
}: Target & {
  externalId: string | null;
  /** How the provider's ids look, for the link form's hint. */
  idFormat: ProviderIdFormat;
  /** The id the link form starts with: one a former end-user of this customer held. */
  suggested?: string;
  children: ReactNode;
}) {
  const [linkState, link, linking] = useActionState(linkProviderAction, idle);
  const [refreshState, refresh, refreshing] = useActionState(refreshProviderAction, idle);
  const [unlinkState, unlink, unlinking] = useActionState(unlinkProviderAction, idle);
  const states: Record<Step, FormState> = { link: linkState, refresh: refreshState, unlink: unlinkState };
  // Which step answered last: only its outcome is shown (noted while rendering, as React advises).
  const [seen, setSeen] = useState(states);
  const [last, setLast] = useState<Step | null>(null);
  const changed = (Object.keys(states) as Step[]).find((step) => states[step] !== seen[step]);
  if (changed) {
    setSeen(states);
    setLast(changed);
  }
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // A problem with the id is told beside its field: the field, not the empty outcome, gets focus.
    if (last === "link" && linkState.status === "error" && linkState.fields?.externalId)
      document.getElementById(`${provider}-external-id`)?.focus();
    else if (last === "link" || last === "unlink") outcome.current?.focus();
  }, [last, linkState, unlinkState, provider]);

  const hidden = (
    <>
      <input type="hidden" name="endUserId" value={endUserId} />
      <input type="hidden" name="provider" value={provider} />
    </>
  );
  const fieldErrors = linkState.status === "error" ? linkState.fields?.externalId : undefined;
  // Without JavaScript no effect runs: the one outcome the page came back with is shown.
  const shown = (Object.keys(states) as Step[]).filter((step) => states[step] !== idle && (!last || last === step));
  return (
    <>
      {children}
      {externalId ? (
        <div className="actions">
          <form action={refresh}>
            {hidden}
            <input type="hidden" name="externalId" value={externalId} />
            <BusyButton type="submit" className="secondary" busy={refreshing}>
              {refreshing ? "Refreshing…" : `Refresh from ${name}`}
            </BusyButton>
          </form>
          <details className="confirm">
            <summary>Unlink {name}…</summary>
            <form action={unlink} className="stack">
              {hidden}
              <input type="hidden" name="externalId" value={externalId} />
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
      ) : (
        // The server says what is wrong with an id, empty included, beside the field, as every form here does.
        <form className="stack" action={link} noValidate>
          {hidden}
          <Field
            id={`${provider}-external-id`}
            label={`${name} end-user id`}
            hint={`The end-user's id as ${name} shows it: a ${idFormat.description}, 32 hexadecimal digits in groups of 8-4-4-4-12.`}
            name="externalId"
            type="text"
            required
            placeholder={idFormat.placeholder}
            defaultValue={sentValue(linkState, "externalId") ?? suggested}
            error={fieldErrors && `The id ${fieldErrors.join("; ")}.`}
            // Back from a post without JavaScript, the page starts at the problem (with it, the effect above moves there).
            autoFocus={Boolean(fieldErrors)}
          />
          <SubmitButton pending={linking} label={`Link ${name} end-user`} busyLabel="Linking…" />
        </form>
      )}
      <div ref={outcome} tabIndex={-1} data-testid={`link-${provider}-outcome`}>
        {shown.map((step) => (
          // Field problems show beside the field; anything else (Altur or Dify failing, say) here.
          <FormOutcome
            key={step}
            state={states[step]}
            hideError={states[step].status === "error" && Boolean(states[step].fields)}
          />
        ))}
      </div>
    </>
  );
}
