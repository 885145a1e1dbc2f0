/**
 * Who may do what, checked against the running app for every page, route handler and server
 * action, for every kind of caller (including forged tokens), and through the request variants
 * that have bypassed middleware-only guards elsewhere (x-middleware-subrequest, RSC requests).
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { actionId, callAction, formState, idleState } from "../support/actions";
import { sql, userIdFor } from "../support/db";
import { HttpClient, signIn, uniqueEmail } from "../support/http";

const { appOrigin, operatorEmail, serviceTokens } = inject("stack");
const [token, token2] = serviceTokens as [string, string];

type Actor = { client: HttpClient; headers: Record<string, string>; query?: string };
const ACTORS = [
  "anonymous",
  "customer",
  "otherCustomer",
  "operator",
  "token",
  "rotatedToken",
  "emptyToken",
  "shortToken",
  "oneCharChanged",
  "differentCase",
  "basicScheme",
  "tokenInQuery",
] as const;
type ActorName = (typeof ACTORS)[number];

const actors = {} as Record<ActorName, Actor>;
let customerEndUser = "";
/** End-users only the offboarding rows act on (an operator's success removes them). */
const leaving = { route: "", action: "", missing: "" };
/** What each caller must never see: other people's data. */
let secretsHiddenFrom: (actor: ActorName) => string[] = () => [];

beforeAll(async () => {
  const customerEmail = uniqueEmail("matrix-a");
  const otherEmail = uniqueEmail("matrix-b");
  const [customer, other, operator] = await Promise.all([
    signIn(customerEmail),
    signIn(otherEmail),
    signIn(operatorEmail),
  ]);
  customerEndUser = (
    (await (await customer.json("/api/end-users", { companyName: "Matrix Private Co" })).json()) as {
      endUser: { id: string };
    }
  ).endUser.id;
  await other.json("/api/end-users", { companyName: "Other Co" });
  const onboard = async (companyName: string) => {
    const client = await signIn(uniqueEmail("matrix-leaving"));
    return ((await (await client.json("/api/end-users", { companyName })).json()) as { endUser: { id: string } })
      .endUser.id;
  };
  [leaving.route, leaving.action] = await Promise.all([onboard("Matrix Leaving Co"), onboard("Matrix Offboard Co")]);
  // Cached but unknown to Conductor, as a refresh flags an end-user deleted in its dashboard.
  leaving.missing = `end_usr_matrixmissing${Date.now()}`;
  await sql(
    `INSERT INTO "ConductorEndUser" ("id", "sourceId", "companyName", "email", "createdAt", "syncedAt", "missingUpstreamSince")
     VALUES ($1, $1, 'Matrix Missing Co', 'missing@example.test', now(), now(), now())`,
    [leaving.missing],
  );
  const customerData = [customerEmail, "Matrix Private Co"];
  const otherData = [otherEmail, "Other Co"];
  secretsHiddenFrom = (actor) =>
    actor === "operator"
      ? []
      : actor === "customer"
        ? otherData
        : actor === "otherCustomer"
          ? customerData
          : [...customerData, ...otherData];
  const anonymous = () => new HttpClient(appOrigin);
  const changed = token.slice(0, -1) + (token.endsWith("a") ? "b" : "a");
  Object.assign(actors, {
    anonymous: { client: anonymous(), headers: {} },
    customer: { client: customer, headers: {} },
    otherCustomer: { client: other, headers: {} },
    operator: { client: operator, headers: {} },
    token: { client: anonymous(), headers: { authorization: `Bearer ${token}` } },
    rotatedToken: { client: anonymous(), headers: { authorization: `Bearer ${token2}` } },
    emptyToken: { client: anonymous(), headers: { authorization: "Bearer " } },
    shortToken: { client: anonymous(), headers: { authorization: `Bearer ${token.slice(0, 8)}` } },
    oneCharChanged: { client: anonymous(), headers: { authorization: `Bearer ${changed}` } },
    differentCase: { client: anonymous(), headers: { authorization: `Bearer ${token.toUpperCase()}` } },
    basicScheme: {
      client: anonymous(),
      headers: { authorization: `Basic ${Buffer.from(`${token}:`).toString("base64")}` },
    },
    tokenInQuery: { client: anonymous(), headers: {}, query: `token=${token}&access_token=${token}` },
  } satisfies Record<ActorName, Actor>);
  expect(await userIdFor(customerEmail)).toBeTruthy();
});

const withQuery = (path: string, query?: string) => (query ? `${path}${path.includes("?") ? "&" : "?"}${query}` : path);

/** Expected outcome per actor; bad-token callers and the valid tokens default to `signedOut`. */
type Row = {
  name: string;
  signedOut: number | string;
  expect: Partial<Record<ActorName, number | string>>;
  run: (actor: Actor, extra?: Record<string, string>) => Promise<{ status: number | string; body: string }>;
};

const page =
  (path: () => string) =>
  async (actor: Actor, extra: Record<string, string> = {}) => {
    const response = await actor.client.fetch(withQuery(path(), actor.query), {
      headers: { ...actor.headers, ...extra },
    });
    return { status: response.status, body: await response.text() };
  };
const api =
  (method: string, path: () => string, body?: unknown) =>
  async (actor: Actor, extra: Record<string, string> = {}) => {
    const response = await actor.client.fetch(withQuery(path(), actor.query), {
      method,
      headers: { ...actor.headers, ...extra, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.text() };
  };
const action =
  (pagePath: string, file: string, name: string, fields: Record<string, string>) =>
  async (actor: Actor, extra: Record<string, string> = {}) => {
    const result = await callAction(actor.client, pagePath, actionId(file, name), fields, {
      previousState: idleState,
      headers: { ...actor.headers, ...extra },
    });
    const state = formState(result.body);
    return { status: state.status === "success" ? "success" : (state.code ?? "error"), body: result.body };
  };

const rows: Row[] = [
  { name: "GET /", signedOut: 200, expect: { customer: 200, otherCustomer: 200, operator: 200 }, run: page(() => "/") },
  {
    name: "GET /signin",
    signedOut: 200,
    expect: { customer: 307, otherCustomer: 307, operator: 307 },
    run: page(() => "/signin"),
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
    run: page(() => `/end-users/${customerEndUser}`),
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
    run: api("GET", () => `/api/end-users/${customerEndUser}?cache=only`),
  },
  {
    name: "GET /api/end-users/lookup",
    signedOut: 401,
    expect: { customer: 403, otherCustomer: 403, operator: 200, token: 200, rotatedToken: 200 },
    run: api("GET", () => `/api/end-users/lookup?id=${customerEndUser}`),
  },
  {
    name: "GET /api/cron/reconcile",
    signedOut: 401,
    expect: { customer: 401, otherCustomer: 401, operator: 401 },
    run: api("GET", () => "/api/cron/reconcile"),
  },
  {
    name: "PUT /api/end-users/[customer's id]/providers/altur",
    signedOut: 401,
    expect: { customer: 403, otherCustomer: 403, operator: 200 },
    run: api("PUT", () => `/api/end-users/${customerEndUser}/providers/altur`, {
      externalId: "a1000000-0000-4000-8000-000000000002",
    }),
  },
  {
    name: "GET /api/end-users/[customer's id]/providers/altur",
    signedOut: 401,
    expect: { customer: 403, otherCustomer: 403, operator: 200 },
    run: api("GET", () => `/api/end-users/${customerEndUser}/providers/altur`),
  },
  {
    name: "DELETE /api/end-users/[customer's id]/providers/altur",
    signedOut: 401,
    expect: { customer: 403, otherCustomer: 403, operator: 204 },
    run: api("DELETE", () => `/api/end-users/${customerEndUser}/providers/altur`),
  },
  {
    name: "action linkProvider",
    signedOut: "unauthenticated",
    expect: { customer: "forbidden", otherCustomer: "forbidden", operator: "success" },
    run: (actor, extra) =>
      action(`/end-users/${customerEndUser}`, "app/end-users/[id]/actions.ts", "linkProviderAction", {
        endUserId: customerEndUser,
        provider: "dify",
        externalId: "d1000000-0000-4000-8000-000000000003",
      })(actor, extra),
  },
  {
    name: "action refreshProvider",
    signedOut: "unauthenticated",
    expect: { customer: "forbidden", otherCustomer: "forbidden", operator: "success" },
    run: (actor, extra) =>
      action(`/end-users/${customerEndUser}`, "app/end-users/[id]/actions.ts", "refreshProviderAction", {
        endUserId: customerEndUser,
        provider: "dify",
      })(actor, extra),
  },
  {
    name: "action unlinkProvider",
    signedOut: "unauthenticated",
    expect: { customer: "forbidden", otherCustomer: "forbidden", operator: "success" },
    run: (actor, extra) =>
      action(`/end-users/${customerEndUser}`, "app/end-users/[id]/actions.ts", "unlinkProviderAction", {
        endUserId: customerEndUser,
        provider: "dify",
      })(actor, extra),
  },
  {
    name: "POST /api/end-users/[customer's id]/auth-sessions",
    signedOut: 401,
    expect: { customer: 201, otherCustomer: 404, operator: 201 },
    run: api("POST", () => `/api/end-users/${customerEndUser}/auth-sessions`, {}),
  },
  {
    name: "POST /api/end-users/[customer's id]/connect-link",
    signedOut: 401,
    expect: { customer: 202, otherCustomer: 404, operator: 202 },
    run: api("POST", () => `/api/end-users/${customerEndUser}/connect-link`, {}),
  },
  {
    name: "GET /api/end-users/[customer's id]/connection",
    signedOut: 401,
    expect: { customer: 200, otherCustomer: 404, operator: 200 },
    run: api("GET", () => `/api/end-users/${customerEndUser}/connection`),
  },
  {
    name: "POST /api/end-users/[customer's id]/connection/check",
    signedOut: 401,
    expect: { customer: 200, otherCustomer: 404, operator: 200 },
    run: api("POST", () => `/api/end-users/${customerEndUser}/connection/check`, {}),
  },
  {
    name: "GET /onboarding/connected",
    signedOut: 307,
    expect: { customer: 200, otherCustomer: 200, operator: 403 },
    run: page(() => "/onboarding/connected"),
  },
  {
    name: "GET /sandbox/conductor/connect/qbd/… (Conductor live)",
    signedOut: 404,
    expect: { customer: 404, otherCustomer: 404, operator: 404 },
    run: page(() => "/sandbox/conductor/connect/qbd/auth_sess_client_secret_x?key=pk_conductor_x"),
  },
  ...(["openSetupAction", "sendConnectLinkAction", "checkConnectionAction"] as const).map((name): Row => ({
    name: `action ${name}`,
    signedOut: "unauthenticated",
    expect: { customer: "success", otherCustomer: "end_user_not_found", operator: "success" },
    run: (actor, extra) =>
      action(`/end-users/${customerEndUser}`, "app/_components/connection/actions.ts", name, {
        endUserId: customerEndUser,
      })(actor, extra),
  })),
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
    run: api("DELETE", () => `/api/end-users/${leaving.route}`),
  },
  {
    name: "action offboard",
    signedOut: "unauthenticated",
    expect: { customer: "forbidden", otherCustomer: "forbidden", operator: "success" },
    run: (actor, extra) =>
      action(`/end-users/${leaving.action}`, "app/end-users/[id]/actions.ts", "offboardAction", {
        endUserId: leaving.action,
        confirmation: "Matrix Offboard Co",
      })(actor, extra),
  },
  {
    name: "action markOffboarded",
    signedOut: "unauthenticated",
    expect: { customer: "forbidden", otherCustomer: "forbidden", operator: "success" },
    run: (actor, extra) =>
      action("/end-users", "app/end-users/actions.ts", "markOffboardedAction", { endUserId: leaving.missing })(
        actor,
        extra,
      ),
  },
  {
    name: "action onboard",
    signedOut: "unauthenticated",
    expect: { customer: "success", otherCustomer: "success", operator: "forbidden" },
    run: action("/onboarding", "app/onboarding/actions.ts", "onboardAction", { companyName: "Matrix Co" }),
  },
  {
    name: "action refresh",
    signedOut: "unauthenticated",
    expect: { customer: "forbidden", otherCustomer: "forbidden", operator: "success" },
    run: action("/end-users", "app/end-users/actions.ts", "refreshAction", {}),
  },
];

const expected = (row: Row, actor: ActorName) => row.expect[actor] ?? row.signedOut;

describe.each(rows)("$name", (row) => {
  it.each(ACTORS)("%s", async (name) => {
    const { status, body } = await row.run(actors[name]);
    expect(status).toBe(expected(row, name));
    if (row.name.includes("[customer's id]") || status !== 200) {
      for (const secret of secretsHiddenFrom(name)) expect(body).not.toContain(secret);
    }
  });

  it("ignores x-middleware-subrequest (the guard is in the handler itself)", async () => {
    for (const name of ["anonymous", "customer", "otherCustomer"] as const) {
      for (const value of [
        "middleware:middleware:middleware:middleware:middleware",
        "proxy:proxy:proxy:proxy:proxy",
        "src/middleware:nowaf",
      ]) {
        const { status } = await row.run(actors[name], { "x-middleware-subrequest": value });
        expect(status, `${name} with ${value}`).toBe(expected(row, name));
      }
    }
  });
});

describe("RSC requests cannot reach what the HTML cannot", () => {
  const rscFetch = async (client: HttpClient, path: string) => {
    let response = await client.fetch(path, { headers: { RSC: "1" } });
    // Next first redirects an RSC request to its cache-busting `?_rsc=` URL; follow that one hop.
    const location = response.headers.get("location");
    if (response.status === 307 && location?.includes("_rsc="))
      response = await client.fetch(location, { headers: { RSC: "1" } });
    return { status: response.status, location: response.headers.get("location"), body: await response.text() };
  };

  it.each([
    ["anonymous", "/end-users"],
    ["anonymous", "/onboarding"],
    ["customer", "/end-users"],
    ["anonymous", "/audit"],
    ["customer", "/audit"],
    ["otherCustomer", "/end-users/[customer's id]"],
    ["operator", "/onboarding"],
  ] as const)("%s on %s (RSC header, ?_rsc and .rsc)", async (name, template) => {
    const path = template.replace("[customer's id]", customerEndUser);
    const client = actors[name].client;
    for (const variant of [path, `${path}?_rsc=1`, `${path}.rsc`]) {
      const { status, body } = await rscFetch(client, variant);
      // An RSC answer may be a 200 that carries the redirect / 403 / 404 for the client router.
      if (status === 200) expect(body, variant).toMatch(/NEXT_REDIRECT|NEXT_HTTP_ERROR_FALLBACK;40[34]/);
      for (const secret of secretsHiddenFrom(name)) expect(body, variant).not.toContain(secret);
    }
    const plain = await client.fetch(`${path}.rsc`);
    const body = await plain.text();
    if (plain.status === 200) expect(body).toMatch(/NEXT_REDIRECT|NEXT_HTTP_ERROR_FALLBACK;40[34]/);
    for (const secret of secretsHiddenFrom(name)) expect(body).not.toContain(secret);
  });
});

describe("the cron route", () => {
  it("runs only for Vercel Cron's bearer secret", async () => {
    const response = await fetch(`${appOrigin}/api/cron/reconcile`, {
      headers: { authorization: `Bearer ${inject("stack").cronSecret}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ claims: expect.any(Object), cache: expect.any(Object) });
    const wrong = await fetch(`${appOrigin}/api/cron/reconcile`, {
      headers: { authorization: `Bearer ${inject("stack").cronSecret}x` },
    });
    expect(wrong.status).toBe(401);
  });
});
