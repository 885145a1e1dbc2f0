/**
 * `POST /auth-sessions`: a session for one end-user, checked as Conductor checks it (the project's
 * publishable key, an existing end-user, 15 to 10080 minutes), whose `authFlowUrl` opens the
 * sandbox's own auth-flow page.
 */
import { z } from "zod";
import { randomId } from "@/lib/sandbox/responses";
import { readJsonBody } from "./request-body";
import { conductorError, invalidBody, notFound, ok } from "./errors";
import type { ConductorSandboxStore, SandboxAuthSession } from "./store";

const DEFAULT_EXPIRY_MINUTES = 30;

const createBody = z.strictObject({
  publishableKey: z.string(),
  endUserId: z.string(),
  linkExpiryMins: z.number().int().min(15).max(10_080).optional(),
  redirectUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export type AuthSessionOptions = {
  publishableKey: string;
  /** Where the auth-flow page is served, for this request (the page's path follows it). */
  authFlowBaseUrl: (request: Request) => string;
};

export function authSessionRoutes(options: AuthSessionOptions) {
  return async function routes(store: ConductorSandboxStore, request: Request, path: string) {
    if (path !== "/auth-sessions" || request.method !== "POST") return null;
    const body = await readJsonBody(request);
    if (body instanceof Response) return body;
    const parsed = createBody.safeParse(body.value);
    if (!parsed.success) return invalidBody(parsed.error.issues[0]!);
    const { publishableKey, endUserId, linkExpiryMins, redirectUrl } = parsed.data;
    if (publishableKey !== options.publishableKey) {
      return conductorError(
        401,
        "AUTHENTICATION_ERROR",
        "PUBLISHABLE_KEY_INVALID",
        "The publishable key provided is invalid.",
        "An internal server error occurred. Please try again later.",
      );
    }
    if (!store.get(endUserId)) return notFound(`No end-user exists with id \`${endUserId}\`.`);
    const createdAt = new Date();
    const clientSecret = randomId("auth_sess_client_secret_", 24);
    const session: SandboxAuthSession = {
      id: randomId("auth_sess_"),
      objectType: "auth_session",
      createdAt: createdAt.toISOString(),
      endUserId,
      clientSecret,
      authFlowUrl: `${options.authFlowBaseUrl(request)}/qbd/${clientSecret}?key=${encodeURIComponent(publishableKey)}`,
      expiresAt: new Date(createdAt.getTime() + (linkExpiryMins ?? DEFAULT_EXPIRY_MINUTES) * 60_000).toISOString(),
      redirectUrl: redirectUrl ?? null,
      completedAt: null,
    };
    store.putSession(session);
    const { completedAt: _completedAt, ...answer } = session;
    return ok(answer);
  };
}
