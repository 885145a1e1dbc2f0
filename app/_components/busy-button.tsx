import type { ButtonHTMLAttributes } from "react";

/**
 * A button that is busy while its work runs: it ignores clicks then, but stays enabled, so it keeps
 * the keyboard focus (a disabled button drops it to the page's body) and is read as busy.
 */
export function BusyButton({ busy, onClick, ...button }: ButtonHTMLAttributes<HTMLButtonElement> & { busy: boolean }) {
  return (
    <button
      {...button}
      aria-disabled={busy || undefined}
      aria-busy={busy}
      onClick={(event) => {
        if (busy) event.preventDefault();
        else onClick?.(event);
      }}
    />
  );
}
