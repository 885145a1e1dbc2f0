/**
 * A check the "Check now" action ran in this request, for the page rendered after it in the same
 * response (a form posted without JavaScript): that page shows it rather than checking again.
 */
import "server-only";
import type { Connection } from "@/lib/model/connection";
import { rememberedForRequest, rememberForRequest } from "@/lib/web/request-memo";

const key = (endUserId: string) => `connection-checked:${endUserId}`;

export const rememberChecked = (endUserId: string, connection: Connection): Promise<void> =>
  rememberForRequest(key(endUserId), connection);

export const checkedInRequest = (endUserId: string): Promise<Connection | undefined> =>
  rememberedForRequest<Connection>(key(endUserId));
