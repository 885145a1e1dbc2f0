import type { InputHTMLAttributes, ReactNode } from "react";
import { BusyButton } from "./busy-button";

type FieldProps = { id: string; label: ReactNode; hint?: ReactNode; error?: ReactNode } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "id"
>;

/** A labelled input with its hint and its problem, both announced with the field. */
export function Field({ id, label, hint, error, ...input }: FieldProps) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy || undefined} {...input} />
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A form's submit button, busy (with a spinner and `busyLabel`) while the form is pending. */
export function SubmitButton({
  pending,
  label,
  busyLabel,
  className,
}: {
  pending: boolean;
  label: string;
  busyLabel: string;
  className?: string;
}) {
  return (
    <div>
      <BusyButton type="submit" className={className} busy={pending}>
        {pending && <span className="spinner" aria-hidden="true" />}
        {pending ? busyLabel : label}
      </BusyButton>
    </div>
  );
}
