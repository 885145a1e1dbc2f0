/**
 * Conductor's auth sessions: the link a customer opens, on the Windows computer that runs
 * QuickBooks Desktop, to connect it. The answer is checked against conductor-node's `AuthSession`
 * and reshaped: the client secret stays inside the flow's URL.
 */
import "server-only";
import type Conductor from "conductor-node";
import { z } from "zod";
import type { AuthSession } from "@/lib/model/auth-session";
import { call } from "./call";
import { callOptions } from "./client";

const timestamp = z.iso.datetime({ offset: true });

/**
 * conductor-node 12.43.0's `AuthSession`: every field required. A field Conductor adds later is
 * dropped, as the SDK's own types would ignore it, rather than failing the setup.
 */
export const authSessionAnswerSchema = z.object({
  id: z.string().min(1),
  objectType: z.literal("auth_session"),
  createdAt: timestamp,
  endUserId: z.string().min(1),
  clientSecret: z.string().min(1),
  authFlowUrl: z.url({ protocol: /^https?$/ }),
  expiresAt: timestamp,
  redirectUrl: z.string().nullable(),
});

const authSessionAnswer = authSessionAnswerSchema.transform((session): AuthSession => ({
  id: session.id,
  authFlowUrl: session.authFlowUrl,
  expiresAt: new Date(session.expiresAt),
  redirectUrl: session.redirectUrl,
}));

export type CreateAuthSession = {
  endUserId: string;
  /** Where the flow sends the customer at its end; without it, the flow closes its tab. */
  redirectUrl?: string;
  /** 15 to 10080; Conductor's default is 30. */
  linkExpiryMins?: number;
};

export function authSessionCalls(sdk: Conductor, options: { timeoutMs: number; publishableKey: string }) {
  // A retry can at worst leave a second, unused session behind, which simply expires: one retry of
  // a transient failure spares the customer an error, within the bounds of an interactive call.
  const bounds = callOptions(options.timeoutMs).interactive;
  return {
    create: (body: CreateAuthSession) =>
      call("authSessions.create", authSessionAnswer, bounds, (requestOptions) =>
        sdk.authSessions.create({ ...body, publishableKey: options.publishableKey }, requestOptions),
      ),
  };
}
