/**
 * Calls a server action over HTTP exactly as the browser's React client does: a POST to the page
 * with the `Next-Action` header and the arguments encoded as React's reply FormData
 * (`0` = the argument list, `_1_<field>` = the entries of the form passed as `$K1`).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import { TEST_DIST_DIR } from "./app-server";
import type { HttpClient } from "./http";

type Manifest = { node: Record<string, { filename: string; exportedName: string }> };

export function actionId(filename: string, exportedName: string): string {
  const manifest = JSON.parse(
    readFileSync(path.join(TEST_DIST_DIR, "server", "server-reference-manifest.json"), "utf8"),
  ) as Manifest;
  const entry = Object.entries(manifest.node).find(
    ([, action]) => action.filename === filename && action.exportedName === exportedName,
  );
  if (!entry) throw new Error(`no server action ${exportedName} in ${filename}`);
  return entry[0];
}

export async function callAction(
  client: HttpClient,
  page: string,
  id: string,
  fields: Record<string, string>,
  options: { previousState?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string; redirect: string | null }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(`_1_${name}`, value);
  // The argument list goes last, as the browser sends it: it is decoded as soon as it arrives.
  const args = options.previousState === undefined ? ["$K1"] : [options.previousState, "$K1"];
  form.append("0", JSON.stringify(args));
  const response = await client.fetch(page, {
    method: "POST",
    headers: { "Next-Action": id, Accept: "text/x-component", Origin: inject("stack").appOrigin, ...options.headers },
    body: form,
  });
  return { status: response.status, body: await response.text(), redirect: response.headers.get("x-action-redirect") };
}

export const idleState = { status: "idle" };

export function onboard(client: HttpClient, companyName: string, extra: Record<string, string> = {}) {
  return callAction(
    client,
    "/onboarding",
    actionId("app/onboarding/actions.ts", "onboardAction"),
    { companyName, ...extra },
    { previousState: idleState },
  );
}

export function refresh(client: HttpClient) {
  return callAction(
    client,
    "/end-users",
    actionId("app/end-users/actions.ts", "refreshAction"),
    {},
    { previousState: idleState },
  );
}

export async function signOutFromPage(client: HttpClient) {
  const result = await callAction(client, "/", actionId("lib/web/auth/sign-out.ts", "signOutAction"), {});
  if (!result.redirect && result.status >= 400) throw new Error(`sign-out failed: ${result.status}`);
  return result;
}

/** The form state an action returned: the flight row that holds `{"status": …}`. */
export function formState(body: string): {
  status: string;
  code?: string;
  message?: string;
  fields?: Record<string, string[]>;
  conductorRequestId?: string;
} {
  const row = body.split("\n").find((line) => /^[0-9a-f]+:\{"status":/.test(line));
  if (!row) throw new Error(`no form state in the action's answer:\n${body.slice(0, 500)}`);
  const state = JSON.parse(row.slice(row.indexOf(":") + 1)) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(state).filter(([, value]) => value !== "$undefined")) as ReturnType<
    typeof formState
  >;
}
