/** Conductor's end-user operations, answering in the app's own types. */
import "server-only";
import type Conductor from "conductor-node";
import { call } from "./call";
import { callOptions, type ReadMode } from "./client";
import { endUserAnswer, endUserListAnswer } from "./reshape";
import { endUserDeleteSchema, type CreateEndUserBody } from "./schemas";

export function endUserCalls(sdk: Conductor, timeoutMs: number) {
  const bounds = callOptions(timeoutMs);
  return {
    createEndUser: (body: CreateEndUserBody) =>
      call("endUsers.create", endUserAnswer, () => sdk.endUsers.create(body, bounds.once)),
    retrieveEndUser: (id: string, mode: ReadMode = "interactive") =>
      call("endUsers.retrieve", endUserAnswer, () => sdk.endUsers.retrieve(id, bounds[mode])),
    listEndUsers: (mode: ReadMode = "background") =>
      call("endUsers.list", endUserListAnswer, () => sdk.endUsers.list(bounds[mode])),
    /** Deletes the end-user and all of its connections. */
    deleteEndUser: (id: string) =>
      call("endUsers.delete", endUserDeleteSchema, () => sdk.endUsers.delete(id, bounds.once)),
  };
}
