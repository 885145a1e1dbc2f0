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
      call("endUsers.create", endUserAnswer, bounds.once, (options) => sdk.endUsers.create(body, options)),
    retrieveEndUser: (id: string, mode: ReadMode = "interactive") =>
      call("endUsers.retrieve", endUserAnswer, bounds[mode], (options) => sdk.endUsers.retrieve(id, options)),
    listEndUsers: (mode: ReadMode = "background") =>
      call("endUsers.list", endUserListAnswer, bounds[mode], (options) => sdk.endUsers.list(options)),
    /** Deletes the end-user and all of its connections. */
    deleteEndUser: (id: string) =>
      call("endUsers.delete", endUserDeleteSchema, bounds.once, (options) => sdk.endUsers.delete(id, options)),
  };
}
