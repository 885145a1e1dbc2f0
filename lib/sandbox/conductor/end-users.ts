/** The sandbox's end-user routes: create, list, retrieve, delete. */
import { z } from "zod";
import { decodedSegment, randomId } from "@/lib/sandbox/responses";
import { readJsonBody } from "./request-body";
import { invalidBody, notFound, ok } from "./errors";
import type { ConductorSandboxStore, SandboxEndUser } from "./store";

/** Blank values are refused; the others are kept exactly as sent (nothing documents a normalisation). */
const nonBlank = z.string().refine((value) => value.trim() !== "", { message: "must not be blank" });

const createBody = z.strictObject({
  companyName: nonBlank,
  sourceId: nonBlank,
  email: z.email(),
});

function create(store: ConductorSandboxStore, value: unknown): Response {
  const parsed = createBody.safeParse(value);
  if (!parsed.success) return invalidBody(parsed.error.issues[0]!);
  const createdAt = new Date().toISOString();
  const endUser: SandboxEndUser = {
    id: randomId("end_usr_"),
    objectType: "end_user",
    createdAt,
    companyName: parsed.data.companyName,
    sourceId: parsed.data.sourceId,
    email: parsed.data.email,
    // As in Conductor: the QuickBooks Desktop connection appears when its auth flow is completed.
    integrationConnections: [],
  };
  store.put(endUser);
  return ok(endUser);
}

/** Answers the end-user routes, or null for a path that is not one of them. */
export async function endUserRoutes(
  store: ConductorSandboxStore,
  request: Request,
  path: string,
): Promise<Response | null> {
  if (path === "/end-users" && request.method === "GET") {
    return ok({ objectType: "list", url: "/v1/end-users", data: store.list() });
  }
  if (path === "/end-users" && request.method === "POST") {
    const body = await readJsonBody(request);
    if (body instanceof Response) return body;
    return create(store, body.value);
  }
  const match = /^\/end-users\/([^/]+)$/.exec(path);
  if (!match || (request.method !== "GET" && request.method !== "DELETE")) return null;
  const id = decodedSegment(match[1]!) ?? match[1]!;
  const endUser = store.get(id);
  if (endUser && request.method === "GET") return ok(endUser);
  // Deleting an end-user removes it and all of its connections.
  if (endUser && store.remove(id)) return ok({ id, objectType: "end_user", deleted: true });
  return notFound(`No end-user exists with id \`${id}\`.`);
}
