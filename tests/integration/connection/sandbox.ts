/**
 * The sandbox Conductor's connect flow as conductor-node reaches it over HTTP: the SDK on the
 * stack's emulator, its errors read in Conductor's shape, and the auth-flow page's buttons.
 */
import Conductor from "conductor-node";
import { conductorErrorBodySchema } from "@/lib/vendors/conductor/schemas";
import { h } from "../../support/harness";

const { secretKey, publishableKey, emulatorOrigin } = h.stack;

/** conductor-node on the stack's emulator (or another base URL), with no retries. */
export const sdk = (baseURL = h.emulator.conductorUrl()) =>
  new Conductor({ apiKey: secretKey, baseURL, maxRetries: 0 });

export async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof Conductor.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Conductor.APIError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** Conductor's fields of an error body (`err.error` is the whole body). */
export const conductorError = (error: InstanceType<typeof Conductor.APIError>) =>
  conductorErrorBodySchema.parse(error.error).error;

/** A new end-user whose company name needs escaping in HTML. */
export async function newEndUser(client = sdk()) {
  return client.endUsers.create({
    companyName: "Flow & Co <Ltd>",
    sourceId: `flow-${Date.now()}`,
    email: "f@flow.example",
  });
}

export async function session(endUserId: string, extra: { linkExpiryMins?: number; redirectUrl?: string } = {}) {
  return sdk().authSessions.create({ publishableKey, endUserId, ...extra });
}

/** A press of the auth-flow page's button `decision`, as its form posts it. */
export const form = (decision: string) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ decision }),
  redirect: "manual" as const,
});

/** The emulator's PUT /_connections/{endUserId} fault, answered as it is (tests check refusals too). */
export const setState = (endUserId: string, state: string) =>
  fetch(`${emulatorOrigin}/_connections/${endUserId}`, { method: "PUT", body: JSON.stringify({ state }) });
