"use client";

import { createContext, useContext, useLayoutEffect, useState, type ReactNode } from "react";

type Remembered = { endUserId: string; name: string };
type Memory = { remembered: Remembered | null; remember: (remembered: Remembered) => void };

const UnusedNameMemory = createContext<Memory>({ remembered: null, remember: () => {} });

/**
 * Keeps the name a submit sent but did not use for as long as the page stays open: the page
 * fetched again after the action cannot know it (only the request that posted the form did), and
 * the notice must not vanish when that page takes the step's place.
 */
export function RememberUnusedName({ children }: { children: ReactNode }) {
  const [remembered, remember] = useState<Remembered | null>(null);
  return <UnusedNameMemory value={{ remembered, remember }}>{children}</UnusedNameMemory>;
}

/** The company was already set up under `companyName`, not under the name the customer sent. */
export function UnusedNameNotice({
  endUserId,
  companyName,
  sentName,
}: {
  endUserId: string;
  companyName: string;
  /** Known to the page rendered for the submit itself; later renders leave it out. */
  sentName: string | undefined;
}) {
  const { remembered, remember } = useContext(UnusedNameMemory);
  useLayoutEffect(() => {
    if (sentName !== undefined) remember({ endUserId, name: sentName });
  }, [endUserId, sentName, remember]);
  // Another account's end-user (a sign-in in another tab) is not told about this one's name.
  const name = sentName ?? (remembered?.endUserId === endUserId ? remembered.name : undefined);
  if (name === undefined) return null;
  return (
    <p className="notice notice-warn" role="status" data-testid="name-unused">
      The name you entered, <strong>{name}</strong>, was not used: your company was already set up as{" "}
      <strong>{companyName}</strong>, in another tab or an earlier visit.
    </p>
  );
}
