"use client";

import { useActionState } from "react";
import { submit } from "./actions";

export function Form() {
  const [state, action] = useActionState(submit, { status: "idle" });
  return (
    <form action={action}>
      <input name="companyName" aria-label="Company name" />
      <button>Continue</button>
      {state.message && <p>{state.message}</p>}
    </form>
  );
}
