"use client";

import { startTransition, useActionState } from "react";
import { submit } from "./actions";

/** Posts its field as the onboarding form does (app/_components/submit-fields.ts): an object, sent as text. */
export function Form() {
  const [state, action] = useActionState(submit, { status: "idle" });
  const onSubmit = (event) => {
    event.preventDefault();
    const companyName = new FormData(event.currentTarget).get("companyName");
    startTransition(() => action({ companyName }));
  };
  return (
    <form action={action} onSubmit={onSubmit}>
      <input name="companyName" aria-label="Company name" />
      <button>Continue</button>
      {state.message && <p>{state.message}</p>}
    </form>
  );
}
