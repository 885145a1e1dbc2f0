/**
 * Every page, route handler and server action, with what each kind of caller must get from it:
 * an HTTP status, or for a server action the outcome its form state reports. Rows that act on
 * a provider link first put the link in the state the operator's call needs (`given`), so each
 * test stands alone.
 */
import { h } from "../../support/harness";
import { world, type Actor, type ActorName } from "./actors";

export type Outcome = number | string;
export type Route = {
  name: string;
  /** What every caller not listed in `expect` gets (signed out, or with a token that is not valid here). */
  signedOut: Outcome;
  expect: Partial<Record<ActorName, Outcome>>;
  given?: () => Promise<void>;
  run: (actor: Actor, extra?: Record<string, string>) => Promise<{ status: Outcome; body: string }>;
};

const ALTUR_ID = "a1000000-0000-4000-8000-000000000002";
const DIFY_ID = "d1000000-0000-4000-8000-000000000003";

const withQuery = (path: string, query?: string) => (query ? `${path}${path.includes("?") ? "&" : "?"}${query}` : path);

const page =
  (path: () => string) =>
  async (actor: Actor, extra: Record<string, string> = {}) => {
    const response = await actor.client.fetch(withQuery(path(), actor.query), {
      headers: { ...actor.headers, ...extra },
    });
    return { status: response.status, body: await response.text() };
  };
/** A route handler's call that changes something, as a row makes it. */
export type ApiWrite = { method: string; path: () => string; body?: unknown };
/** Every such call a row of the matrix makes (POST, PUT, DELETE). */
export const API_WRITES: ApiWrite[] = [];

const api = (method: string, path: () => string, body?: unknown) => {
  if (method !== "GET") API_WRITES.push({ method, path, body });
  return async (actor: Actor, extra: Record<string, string> = {}) => {
    const response = await actor.client.fetch(withQuery(path(), actor.query), {
      method,
      headers: { ...actor.headers, ...extra, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.text() };
  };
};
/** A server action as a row runs it: the page it is posted to, the action, and the form's fields. */
export type ActionCall = { page: () => string; file: string; name: string; fields: () => Record<string, string> };
/** Every server action a row of the matrix calls. */
export const ACTIONS: ActionCall[] = [];

const action = (pagePath: () => string, file: string, name: string, fields: () => Record<string, string>) => {
  ACTIONS.push({ page: pagePath, file, name, fields });
  return async (actor: Actor, extra: Record<string, string> = {}) => {
    const result = await h.actions.call(actor.client, pagePath(), h.actions.id(file, name), fields(), {
      previousState: h.actions.idleState,
      headers: { ...actor.headers, ...extra },
    });
    const state = h.actions.formState(result.body);
    return { status: state.status === "success" ? "success" : (state.code ?? "error"), body: result.body };
  };
};

const providerPath = (provider: string) => `/api/end-users/${world.customerEndUser}/providers/${provider}`;
/** The operator links (or unlinks) the customer's end-user and a provider's, whatever it was before. */
const linked = (provider: string, externalId: string) => async () => {
  const response = await world.actors.operator.client.json(providerPath(provider), { externalId }, { method: "PUT" });
  if (response.status !== 200) throw new Error(`linking ${provider} gave ${response.status}`);
};
const unlinked = (provider: string) => async () => {
  const response = await world.actors.operator.client.fetch(providerPath(provider), { method: "DELETE" });
  if (response.status !== 204 && response.status !== 404)
    throw new Error(`unlinking ${provider} gave ${response.status}`);
};

const isLive = async (id: string) =>
  id !== "" && (await h.count(`SELECT 1 FROM "ConductorEndUser" WHERE id = $1 AND "deletedAt" IS NULL`, [id])) === 1;
/** A live end-user of a third customer in `world.leaving[slot]`, onboarded anew once an operator offboarded the last. */
const leavingCustomer = (slot: "route" | "action", companyName: string) => async () => {
  if (await isLive(world.leaving[slot])) return;
  world.leaving[slot] = (await h.onboardedCustomer("matrix-leaving", companyName)).endUser.id;
};
/** A live end-user cached but unknown to Conductor, as a refresh flags one deleted in its dashboard. */
const missingUpstream = async () => {
  if (await isLive(world.leaving.missing)) return;
  world.leaving.missing = `end_usr_matrixmissing${Date.now()}`;
  await h.sql(
    `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "missingUpstreamSince")
     VALUES ($1, $1, 'Matrix Missing Co', 'missing@example.test', now(), now(), now())`,
    [world.leaving.missing],
  );
};

const customerPage = () => `/end-users/${world.customerEndUser}`;
/** An action of the detail page's Dify form, on the customer's end-user. */
const difyAction = (name: string, fields: Record<string, string> = {}) =>
  action(customerPage, "app/end-users/[id]/actions.ts", name, () => ({
    endUserId: world.customerEndUser,
    provider: "dify",
    ...fields,
  }));
const OPERATORS_ONLY = {
  signedOut: "unauthenticated",
  expect: { customer: "forbidden", otherCustomer: "forbidden", operator: "success" },
} satisfies Pick<Route, "signedOut" | "expect">;

export const ROUTES: Route[] = [
  { name: "GET /", signedOut: 200, expect: { customer: 200, otherCustomer: 200, operator: 200 }, run: page(() => "/") },
  {
    name: "GET /signin",
    signedOut: 200,
    expect: { customer: 307, otherCustomer: 307, operator: 307 },
    run: page(() => "/signin"),
  },
  {
    // Public, and it signs no one in: the emailed link's page, whose button goes to next-auth.
    name: "GET /signin/confirm",
    signedOut: 200,
    expect: { customer: 200, otherCustomer: 200, operator: 200 },
    run: page(() => `/signin/confirm?token=${"0".repeat(64)}&email=someone%40example.test`),
  },
  {
    name: "GET /onboarding",
    signedOut: 307,
    expect: { customer: 200, otherCustomer: 200, operator: 403 },
    run: page(() => "/onboarding"),
  },
  {
    name: "GET /end-users",
    signedOut: 307,
    expect: { customer: 403, otherCustomer: 403, operator: 200 },
    run: page(() => "/end-users"),
  },
  {
    name: "GET /end-users/[customer's id]",
    signedOut: 307,
    expect: { customer: 200, otherCustomer: 404, operator: 200 },
    run: page(customerPage),
  },
  {
    name: "GET /sandbox/mailbox (SMTP configured)",
    signedOut: 404,
    expect: { customer: 404, otherCustomer: 404, operator: 404 },
    run: page(() => "/sandbox/mailbox"),
  },
  {
    name: "GET /api/health",
    signedOut: 200,
    expect: { customer: 200, otherCustomer: 200, operator: 200 },
    run: api("GET", () => "/api/health"),
  },
  {
    name: "GET /api/openapi.json",
    signedOut: 200,
    expect: { customer: 200, otherCustomer: 200, operator: 200 },
    run: api("GET", () => "/api/openapi.json"),
  },
  {
    name: "GET /api/end-users",
    signedOut: 401,
    expect: { customer: 403, otherCustomer: 403, operator: 200 },
    run: api("GET", () => "/api/end-users"),
  },
  {
    name: "POST /api/end-users",
    signedOut: 401,
    expect: { customer: 200, otherCustomer: 200, operator: 400 },
    run: api("POST", () => "/api/end-users", { companyName: "Matrix Co" }),
  },
  {
    name: "GET /api/end-users/[customer's id]",
    signedOut: 401,
    expect: { customer: 200, otherCustomer: 404, operator: 200 },
    run: api("GET", () => `/api/end-users/${world.customerEndUser}?cache=only`),
  },
  {
    // Without ?cache=only the route asks Conductor: the access check must come first all the same.
    name: "GET /api/end-users/[customer's id] (asks Conductor)",
    signedOut: 401,
    expect: { customer: 200, otherCustomer: 404, operator: 200 },
    run: api("GET", () => `/api/end-users/${world.customerEndUser}`),
  },
  {
    name: "GET /api/end-users/lookup",
    signedOut: 401,
    expect: { customer: 403, otherCustomer: 403, operator: 200, token: 200, rotatedToken: 200 },
    run: api("GET", () => `/api/end-users/lookup?id=${world.customerEndUser}`),
  },
  {
    name: "GET /api/cron/reconcile",
    signedOut: 401,
    // Its credential is the cron secret: a service token there is just a wrong secret.
    expect: { customer: 401, otherCustomer: 401, operator: 401, token: 401, rotatedToken: 401 },
    run: api("GET", () => "/api/cron/reconcile"),
  },
  {
    name: "PUT /api/end-users/[customer's id]/providers/altur",
    signedOut: 401,
    expect: { customer: 403, otherCustomer: 403, operator: 200 },
    given: unlinked("altur"),
    run: api("PUT", () => providerPath("altur"), { externalId: ALTUR_ID }),
  },
  {
    name: "GET /api/end-users/[customer's id]/providers/altur",
    signedOut: 401,
    expect: { customer: 403, otherCustomer: 403, operator: 200 },
    given: linked("altur", ALTUR_ID),
    run: api("GET", () => providerPath("altur")),
  },
  {
    name: "DELETE /api/end-users/[customer's id]/providers/altur",
    signedOut: 401,
    expect: { customer: 403, otherCustomer: 403, operator: 204 },
    given: linked("altur", ALTUR_ID),
    run: api("DELETE", () => providerPath("altur")),
  },
  {
    name: "action linkProvider",
    ...OPERATORS_ONLY,
    given: unlinked("dify"),
    run: difyAction("linkProviderAction", { externalId: DIFY_ID }),
  },
  {
    name: "action refreshProvider",
    ...OPERATORS_ONLY,
    given: linked("dify", DIFY_ID),
    run: difyAction("refreshProviderAction", { externalId: DIFY_ID }),
  },
  {
    name: "action unlinkProvider",
    ...OPERATORS_ONLY,
    given: linked("dify", DIFY_ID),
    run: difyAction("unlinkProviderAction", { externalId: DIFY_ID }),
  },
  {
    name: "GET /audit",
    signedOut: 307,
    expect: { customer: 403, otherCustomer: 403, operator: 200 },
    run: page(() => "/audit"),
  },
  {
    name: "GET /api/audit",
    signedOut: 401,
    expect: { customer: 403, otherCustomer: 403, operator: 200 },
    run: api("GET", () => "/api/audit?limit=5"),
  },
  {
    name: "GET /api/audit.csv",
    signedOut: 401,
    expect: { customer: 403, otherCustomer: 403, operator: 200 },
    run: api("GET", () => "/api/audit.csv?action=PROVIDER_LINKED"),
  },
  {
    name: "DELETE /api/end-users/[a third customer's id]",
    signedOut: 401,
    expect: { customer: 403, otherCustomer: 403, operator: 200 },
    given: leavingCustomer("route", "Matrix Leaving Co"),
    run: api("DELETE", () => `/api/end-users/${world.leaving.route}`),
  },
  {
    name: "action offboard",
    ...OPERATORS_ONLY,
    given: leavingCustomer("action", "Matrix Offboard Co"),
    run: action(
      () => `/end-users/${world.leaving.action}`,
      "app/end-users/[id]/actions.ts",
      "offboardAction",
      () => ({ endUserId: world.leaving.action, confirmation: "Matrix Offboard Co" }),
    ),
  },
  {
    name: "action markOffboarded",
    ...OPERATORS_ONLY,
    given: missingUpstream,
    run: action(
      () => "/end-users",
      "app/end-users/actions.ts",
      "markOffboardedAction",
      () => ({ endUserId: world.leaving.missing }),
    ),
  },
  {
    name: "POST /api/end-users/[customer's id]/auth-sessions",
    signedOut: 401,
    expect: { customer: 201, otherCustomer: 404, operator: 201 },
    run: api("POST", () => `/api/end-users/${world.customerEndUser}/auth-sessions`, {}),
  },
  {
    name: "POST /api/end-users/[customer's id]/connect-link",
    signedOut: 401,
    expect: { customer: 202, otherCustomer: 404, operator: 202 },
    run: api("POST", () => `/api/end-users/${world.customerEndUser}/connect-link`, {}),
  },
  {
    name: "GET /api/end-users/[customer's id]/connection",
    signedOut: 401,
    expect: { customer: 200, otherCustomer: 404, operator: 200 },
    run: api("GET", () => `/api/end-users/${world.customerEndUser}/connection`),
  },
  {
    name: "POST /api/end-users/[customer's id]/connection/check",
    signedOut: 401,
    expect: { customer: 200, otherCustomer: 404, operator: 200 },
    run: api("POST", () => `/api/end-users/${world.customerEndUser}/connection/check`, {}),
  },
  {
    name: "GET /onboarding/connected",
    // Signed out, or an operator who opened a link they sent: the setup ended here, no one's data.
    signedOut: 200,
    expect: { customer: 200, otherCustomer: 200, operator: 200 },
    run: page(() => "/onboarding/connected"),
  },
  {
    name: "GET /sandbox/conductor/connect/qbd/… (Conductor live)",
    signedOut: 404,
    expect: { customer: 404, otherCustomer: 404, operator: 404 },
    run: page(() => "/sandbox/conductor/connect/qbd/auth_sess_client_secret_x?key=pk_conductor_x"),
  },
  ...(["openSetupAction", "sendConnectLinkAction", "checkConnectionAction"] as const).map((name): Route => ({
    name: `action ${name}`,
    signedOut: "unauthenticated",
    expect: { customer: "success", otherCustomer: "end_user_not_found", operator: "success" },
    run: action(
      () => `/end-users/${world.customerEndUser}`,
      "app/_components/connection/actions.ts",
      name,
      () => ({ endUserId: world.customerEndUser }),
    ),
  })),
  {
    name: "action onboard",
    signedOut: "unauthenticated",
    expect: { customer: "success", otherCustomer: "success", operator: "forbidden" },
    run: action(
      () => "/onboarding",
      "app/onboarding/actions.ts",
      "onboardAction",
      () => ({ companyName: "Matrix Co" }),
    ),
  },
  {
    name: "action refresh",
    ...OPERATORS_ONLY,
    run: action(
      () => "/end-users",
      "app/end-users/actions.ts",
      "refreshAction",
      () => ({}),
    ),
  },
];

/**
 * Where the signed-out get 401: a valid service token on a route only people may call is
 * recognized and refused (403), and the bearer scheme with no token is a malformed request (400,
 * RFC 6750), not a wrong credential.
 */
const validToken = (actor: ActorName) => actor === "token" || actor === "rotatedToken";
export function expected(route: Route, actor: ActorName): Outcome {
  if (route.expect[actor] !== undefined) return route.expect[actor];
  if (route.signedOut !== 401) return route.signedOut;
  return validToken(actor) ? 403 : actor === "emptyToken" ? 400 : 401;
}
