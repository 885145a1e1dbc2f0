/**
 * Fault injection for tests, wrapped around the sandbox providers only by the standalone emulator
 * started with SANDBOX_FAULTS=1 — never inside the app.
 *
 * POST /_faults {provider, method?, path?, status?, delayMs?, hang?, times, afterCommit?, truncate?,
 * addFields?} arms the next `times` matching calls: delayMs waits before the provider acts, or with
 * afterCommit (or addFields) after it. DELETE /_faults disarms; GET /_calls lists the calls received (DELETE
 * /_calls forgets them). PUT /_connections/{endUserId} {state: "connected" | "offline" |
 * "not_set_up"} sets what the sandbox Conductor's health check and the end-user's connection say
 * from then on.
 */
import { z } from "zod";
import { alturError } from "./altur";
import { setConnectionState } from "./conductor/connections";
import { conductorFaultResponse } from "./conductor/errors";
import type { ConductorSandboxStore } from "./conductor/store";
import { difyFaultResponse } from "./dify";
import { providerFor, type Handler, type SandboxProvider } from "./providers";
import { decodedSegment, json, readJson } from "./responses";

export const faultSchema = z
  .strictObject({
    provider: z.enum(["conductor", "altur", "dify"]),
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .optional(),
    /** Path below the provider's mount: exact, or a prefix ending in `*`. */
    path: z.string().startsWith("/").optional(),
    status: z.number().int().min(400).max(599).optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    hang: z.boolean().optional(),
    times: z.number().int().min(1),
    afterCommit: z.boolean().optional(),
    /**
     * The provider acts, and its answer stops halfway through the body: the connection drops or,
     * with hang, the answer stalls there until the caller goes away.
     */
    truncate: z.boolean().optional(),
    /**
     * The provider acts, and its answer (a JSON object) comes with these fields besides: a field
     * Conductor adds to an object after conductor-node's types were written.
     */
    addFields: z.record(z.string(), z.json()).optional(),
  })
  .refine((fault) => !(fault.truncate && fault.status), {
    message: "truncate answers half of the provider's own answer: it takes no status",
  })
  .refine((fault) => !(fault.addFields && (fault.status || fault.truncate || fault.hang)), {
    message: "addFields adds to the provider's own answer: it takes no status, truncate or hang",
  });

export const connectionStateSchema = z.strictObject({ state: z.enum(["connected", "offline", "not_set_up"]) });

export type Fault = z.infer<typeof faultSchema>;
export type SandboxCall = {
  provider: SandboxProvider;
  method: string;
  path: string;
  status: number | null;
  fault: boolean;
  at: string;
};

function faultResponse(provider: SandboxProvider, status: number): Response {
  if (provider === "conductor") return conductorFaultResponse(status);
  if (provider === "altur") return alturError(status, `Injected failure (${status}).`);
  return difyFaultResponse(status);
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * `response` with the first half of its body, then an error that drops the connection, or with
 * `stallUntil`, nothing more until that signal aborts (the caller went away).
 */
async function cutOff(response: Response, stallUntil?: AbortSignal): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  let halfSent = false;
  // Failed only once the first half was read: erroring a stream discards what it still holds.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!halfSent) {
        halfSent = true;
        return controller.enqueue(bytes.slice(0, Math.floor(bytes.length / 2)));
      }
      if (stallUntil && !stallUntil.aborted)
        await new Promise((resolve) => stallUntil.addEventListener("abort", resolve, { once: true }));
      controller.error(new Error("answer cut off"));
    },
  });
  return new Response(body, { status: response.status, headers });
}

/** `response`, a JSON object, with `fields` besides its own; any other answer as it was. */
async function withFields(response: Response, fields: Record<string, unknown>): Promise<Response> {
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  if (body === undefined) return response;
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  const added = body && typeof body === "object" && !Array.isArray(body) ? { ...body, ...fields } : body;
  return new Response(JSON.stringify(added), { status: response.status, headers });
}

/** Resolves only when the caller goes away. */
const hangUntilAborted = (signal: AbortSignal) =>
  new Promise<Response>((resolve) =>
    signal.addEventListener("abort", () => resolve(new Response(null, { status: 499 })), { once: true }),
  );

async function putConnectionState(store: ConductorSandboxStore, request: Request, id: string): Promise<Response> {
  if (request.method !== "PUT") return json(405, { error: "use PUT" });
  const body = await readJson(request);
  const parsed = connectionStateSchema.safeParse(body.ok ? body.value : undefined);
  if (!parsed.success) return json(400, { error: z.prettifyError(parsed.error) });
  const endUser = store.get(id);
  if (!endUser) return json(404, { error: `no end-user ${id}` });
  setConnectionState(store, endUser, parsed.data.state);
  return json(200, { endUser: store.get(id), state: parsed.data.state });
}

export function withFaults(route: Handler, conductorStore: ConductorSandboxStore): Handler {
  let armed: (Fault & { remaining: number })[] = [];
  let calls: SandboxCall[] = [];

  const matches = (fault: Fault, provider: SandboxProvider, method: string, path: string) =>
    fault.provider === provider &&
    (!fault.method || fault.method === method) &&
    (!fault.path || (fault.path.endsWith("*") ? path.startsWith(fault.path.slice(0, -1)) : path === fault.path));

  return async (request) => {
    const url = new URL(request.url);
    if (url.pathname === "/_faults") {
      if (request.method === "DELETE") return ((armed = []), json(200, { armed: 0 }));
      if (request.method === "GET") return json(200, { armed });
      const body = await readJson(request);
      const parsed = faultSchema.safeParse(body.ok ? body.value : undefined);
      if (!parsed.success) return json(400, { error: z.prettifyError(parsed.error) });
      armed.push({ ...parsed.data, remaining: parsed.data.times });
      return json(201, { armed: armed.length });
    }
    const connection = /^\/_connections\/([^/]+)$/.exec(url.pathname);
    if (connection)
      return putConnectionState(conductorStore, request, decodedSegment(connection[1]!) ?? connection[1]!);
    if (url.pathname === "/_calls") {
      if (request.method === "DELETE") return ((calls = []), json(200, { calls: 0 }));
      const provider = url.searchParams.get("provider");
      return json(200, { calls: provider ? calls.filter((call) => call.provider === provider) : calls });
    }

    const target = providerFor(url);
    if (!target) return route(request);
    const call: SandboxCall = {
      provider: target.provider,
      method: request.method,
      path: target.path,
      status: null,
      fault: false,
      at: new Date().toISOString(),
    };
    calls.push(call);

    const fault = armed.find((f) => f.remaining > 0 && matches(f, target.provider, request.method, target.path));
    if (!fault) {
      const response = await route(request);
      call.status = response.status;
      return response;
    }
    fault.remaining -= 1;
    armed = armed.filter((f) => f.remaining > 0);
    call.fault = true;

    if (fault.afterCommit || fault.truncate || fault.addFields) {
      // The provider does the work; the caller then hears late (delayMs), half (truncate, with hang
      // half and then nothing), more (addFields), never (hang) or a failure (status).
      const committed = await route(request);
      call.status = committed.status;
      if (fault.delayMs) await sleep(fault.delayMs, request.signal);
      if (fault.truncate) return await cutOff(committed, fault.hang ? request.signal : undefined);
      if (fault.addFields) return withFields(committed, fault.addFields);
      if (!fault.hang && !fault.status) return committed;
    } else if (fault.delayMs) await sleep(fault.delayMs, request.signal);
    if (fault.hang) return hangUntilAborted(request.signal);
    if (fault.status) {
      call.status = fault.status;
      return faultResponse(target.provider, fault.status);
    }
    const response = await route(request);
    call.status = response.status;
    return response;
  };
}
