/**
 * The end-user "Mark offboarded" just tombstoned, for the list Next renders after the action in the
 * same response: its row is gone from that list (offboarded ones are hidden), so the page says
 * what happened to it instead, with or without JavaScript.
 */
import "server-only";
import type { Person } from "@/lib/model/actor";
import type { Offboarded } from "@/lib/use-cases/offboarding/offboard";
import { readCachedEndUser } from "@/lib/use-cases/end-users/retrieve";
import { oncePerRequest, rememberForRequest } from "@/lib/web/request-memo";

const KEY = "end-users:marked-offboarded";

export const rememberMarkedOffboarded = (offboarded: Offboarded): Promise<void> =>
  rememberForRequest<Offboarded | null>(KEY, offboarded);

/** The end-user marked offboarded in this request, with its company name; null in any other request. */
export async function markedOffboardedNow(viewer: Person) {
  const marked = await oncePerRequest<Offboarded | null>(KEY, async () => null);
  if (!marked) return null;
  const endUser = await readCachedEndUser(viewer, marked.id);
  return { ...marked, companyName: endUser?.companyName ?? marked.id };
}
