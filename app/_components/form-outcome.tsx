import type { ReactNode } from "react";
import type { FormState } from "@/lib/web/actions/form-state";
import { Notice } from "./notice";

/**
 * What a form's last submit came to: its success message, or its error with Conductor's request
 * id (`hideError` when the form already shows the problem beside the field it concerns).
 */
export function FormOutcome({
  state,
  hideError = false,
  children,
}: {
  state: FormState;
  hideError?: boolean;
  children?: ReactNode;
}) {
  if (state.status === "success")
    return (
      <Notice tone="ok">
        {state.message}
        {children}
      </Notice>
    );
  if (state.status === "error" && !hideError)
    return (
      <Notice tone="error" conductorRequestId={state.conductorRequestId}>
        {state.message}
      </Notice>
    );
  return null;
}
