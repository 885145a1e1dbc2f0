/**
 * Calls a server action over HTTP exactly as the browser's React client does: a POST to the page
 * with the `Next-Action` header and the arguments encoded as React's reply FormData
 * (`0` = the argument list, `_1_<field>` = the entries of the form passed as `$K1`).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { TEST_DIST_DIR } from "./app-server";
import type { HttpClient } from "./http";

type Manifest = { node: Record<string, { filename: string; exportedName: string }> };

const manifestOf = (distDir: string) =>
  JSON.parse(readFileSync(path.join(distDir, "server", "server-reference-manifest.json"), "utf8")) as Manifest;

/** Every server action a build holds: its id and where it is exported. */
export const allActions = (distDir = TEST_DIST_DIR) =>
  Object.entries(manifestOf(distDir).node).map(([id, { filename, exportedName }]) => ({ id, filename, exportedName }));

/** The id a build gave a server action (from its server-reference manifest). */
export function actionId(filename: string, exportedName: string, distDir = TEST_DIST_DIR): string {
  const entry = allActions(distDir).find(
    (action) => action.filename === filename && action.exportedName === exportedName,
  );
  if (!entry) throw new Error(`no server action ${exportedName} in ${filename}`);
  return entry.id;
}

export const idleState = { status: "idle" };

/** The form the browser posts: the form's fields, then the argument list (decoded as soon as it arrives, so last). */
export function actionForm(fields: Record<string, string>, previousState?: unknown): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(`_1_${name}`, value);
  form.append("0", JSON.stringify(previousState === undefined ? ["$K1"] : [previousState, "$K1"]));
  return form;
}

/** React's reply encoding of a string: one starting with `$` is escaped with another. */
const replyString = (value: string) => (value.startsWith("$") ? `$${value}` : value);

/**
 * What the browser posts when a form of ours hands its fields to the action as an object
 * (app/_components/submit-fields.ts): the argument list as one line of JSON, typed
 * `text/plain;charset=UTF-8`. tests/e2e/customer.test.ts checks it against Chromium's post.
 */
export function actionText(fields: Record<string, string>, previousState: unknown = idleState): string {
  const sent = Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, replyString(value)]));
  return JSON.stringify([previousState, sent]);
}

/** A call's body as the browser sends it: text for a form that hands its fields as an object, React's multipart form otherwise. */
const actionBody = (fields: Record<string, string>, previousState: unknown, as: "text" | "form") =>
  as === "text" ? actionText(fields, previousState) : actionForm(fields, previousState);

/**
 * Headers and body of one call of a form action (state `idle`) by the session in `cookie`, encoded
 * ahead of time as the browser sends it: as text for a form that hands its fields as an object
 * (the onboarding form's), as React's multipart form for the others.
 */
export async function encodedActionCall(
  id: string,
  origin: string,
  fields: Record<string, string>,
  cookie: string,
  as: "text" | "form" = "form",
) {
  const encoded = new Response(actionBody(fields, idleState, as));
  const headers: Record<string, string> = {
    "next-action": id,
    accept: "text/x-component",
    origin,
    cookie,
    "content-type": encoded.headers.get("content-type")!,
  };
  return { method: "POST", headers, body: Buffer.from(await encoded.arrayBuffer()) };
}

/** A form action called over HTTP; fetch types a text body `text/plain;charset=UTF-8`, as the browser's does. */
export async function callAction(
  client: HttpClient,
  page: string,
  id: string,
  fields: Record<string, string>,
  options: { previousState?: unknown; headers?: Record<string, string>; as?: "text" | "form" } = {},
): Promise<{ status: number; body: string; redirect: string | null }> {
  const response = await client.fetch(page, {
    method: "POST",
    headers: { "Next-Action": id, Accept: "text/x-component", Origin: client.origin, ...options.headers },
    body: actionBody(fields, options.previousState, options.as ?? "form"),
  });
  return { status: response.status, body: await response.text(), redirect: response.headers.get("x-action-redirect") };
}

/** The onboarding form's submit as the browser sends it: its fields as text (see `actionText`). */
export function onboard(client: HttpClient, companyName: string, extra: Record<string, string> = {}) {
  return callAction(
    client,
    "/onboarding",
    actionId("app/onboarding/actions.ts", "onboardAction"),
    { companyName, ...extra },
    { previousState: idleState, as: "text" },
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

export type FormState = {
  status: string;
  code?: string;
  message?: string;
  fields?: Record<string, string[]>;
  conductorRequestId?: string;
  /** What the page shows next, as React data. */
  next?: unknown;
};

/** The form state an action returned (the flight row that holds `{"status": …}`), if any. */
/**
 * The rows of a React Flight answer. Most end at a newline; a text row (`id:T<hex length>,`) is
 * as many bytes long as it says and ends without one, so a long string in a form state (the text
 * a failed form sends back) would otherwise hide the row after it.
 */
function flightRows(body: string): string[] {
  const bytes = Buffer.from(body, "utf8");
  const rows: string[] = [];
  for (let at = 0; at < bytes.length;) {
    const colon = bytes.indexOf(":", at);
    if (colon < 0) break;
    let end: number;
    if (bytes[colon + 1] === "T".charCodeAt(0)) {
      const comma = bytes.indexOf(",", colon);
      end = comma + 1 + parseInt(bytes.subarray(colon + 2, comma).toString(), 16);
    } else {
      const newline = bytes.indexOf("\n", colon);
      end = newline < 0 ? bytes.length : newline;
    }
    rows.push(bytes.subarray(at, end).toString());
    at = bytes[end] === "\n".charCodeAt(0) ? end + 1 : end;
  }
  return rows;
}

export function findFormState(body: string): FormState | undefined {
  const row = flightRows(body).find((line) => /^[0-9a-f]+:\{"status":/.test(line));
  if (!row) return undefined;
  const state = JSON.parse(row.slice(row.indexOf(":") + 1)) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(state).filter(([, value]) => value !== "$undefined")) as FormState;
}

/** The form state an action returned; throws when the answer holds none. */
export function formState(body: string): FormState {
  const state = findFormState(body);
  if (!state) throw new Error(`no form state in the action's answer:\n${body.slice(0, 500)}`);
  return state;
}
