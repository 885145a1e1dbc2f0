import { JOURNEY } from "./journey";

/** The onboarding steps, marked done, current or to come; the last is done when it is reached. */
export function Stepper({ step }: { step: number }) {
  const last = JOURNEY.length - 1;
  return (
    <ol className="stepper" aria-label="Onboarding progress">
      {JOURNEY.map((name, index) => {
        const done = index < step || (index === last && step === last);
        const current = index === step;
        return (
          <li
            key={name}
            className={done ? "done" : current ? "current" : undefined}
            aria-current={current ? "step" : undefined}
          >
            <span className="marker" aria-hidden="true">
              {done ? "✓" : index + 1}
            </span>
            {name}
            <span className="visually-hidden">{done ? " (done)" : current ? " (current step)" : " (to come)"}</span>
          </li>
        );
      })}
    </ol>
  );
}
