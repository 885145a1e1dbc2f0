/**
 * Who may do what, checked against the running app for every page, route handler and server
 * action (authorization/routes.ts), for every kind of caller including forged tokens
 * (authorization/actors.ts), and with the header that has bypassed middleware-only guards
 * elsewhere (x-middleware-subrequest); and every server action posted from another origin.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { h } from "../support/harness";
import { ACTORS, signInActors, world } from "./authorization/actors";
import { ACTIONS, API_WRITES, expected, ROUTES } from "./authorization/routes";

beforeAll(signInActors);

// Named by "%s" with the plain name: "$name" would quote and cut it short.
describe.each(ROUTES.map((route) => [route.name, route] as const))("%s", (_name, route) => {
  it.each(ACTORS.map((name) => [name, expected(route, name)] as const))(
    "answers %s with %s, showing no one else's data",
    async (name, outcome) => {
      await route.given?.();
      const { status, body } = await route.run(world.actors[name]);
      expect(status).toBe(outcome);
      if (route.name.includes("[customer's id]") || status !== 200) {
        for (const secret of world.secretsHiddenFrom(name)) expect(body).not.toContain(secret);
      }
    },
  );

  it("ignores x-middleware-subrequest (the guard is in the handler itself)", async () => {
    await route.given?.();
    for (const name of ["anonymous", "customer", "otherCustomer"] as const) {
      for (const value of [
        "middleware:middleware:middleware:middleware:middleware",
        "proxy:proxy:proxy:proxy:proxy",
        "src/middleware:nowaf",
      ]) {
        const { status } = await route.run(world.actors[name], { "x-middleware-subrequest": value });
        expect(status, `${name} with ${value}`).toBe(expected(route, name));
      }
    }
  });
});

describe.each(ACTIONS.map((call) => [call.name, call] as const))(
  "action %s posted from another origin",
  (_name, call) => {
    // The rows' own preparations: the end-users the offboarding actions act on exist whatever ran first.
    beforeAll(async () => {
      for (const route of ROUTES) if (route.name.startsWith("action ")) await route.given?.();
    });

    const foreign: Record<string, string>[] = [
      { Origin: "https://evil.example" },
      { Origin: "null" },
      { Origin: `${h.stack.appOrigin}.evil.example` },
      { Origin: h.stack.appOrigin, "x-forwarded-host": "evil.example" },
    ];

    it.each(["customer", "operator"] as const)(
      "is refused for the signed-in %s: 403 in the envelope, no row written, nothing asked upstream",
      async (name) => {
        const before = await h.rowCounts();
        const since = Date.now();
        for (const headers of foreign) {
          const result = await h.actions.call(
            world.actors[name].client,
            call.page(),
            h.actions.id(call.file, call.name),
            call.fields(),
            { previousState: h.actions.idleState, headers },
          );
          expect(result.status, `${call.page()} ${JSON.stringify(headers)}`).toBe(403);
          expect(JSON.parse(result.body).error.code).toBe("forbidden");
        }
        expect(await h.rowCounts()).toEqual(before);
        expect(await h.emulator.calls({ since })).toEqual([]);
      },
    );
  },
);

describe.each(API_WRITES.map((call) => [`${call.method} ${call.path()}`, call] as const))(
  "route %s sent from another site's page with a session",
  (_name, call) => {
    beforeAll(async () => {
      for (const route of ROUTES) await route.given?.();
    });

    it.each(["customer", "operator"] as const)(
      "is refused for the signed-in %s: 403 in the envelope, no row written, nothing asked upstream",
      async (name) => {
        const before = await h.rowCounts();
        const since = Date.now();
        // A browser that leaves Origin out still says where the request comes from in Sec-Fetch-Site.
        const foreign: Record<string, string>[] = [
          ...["https://evil.example", "null", `${h.stack.appOrigin}.evil.example`].map((Origin) => ({ Origin })),
          { "Sec-Fetch-Site": "cross-site" },
          { "Sec-Fetch-Site": "same-site" },
        ];
        for (const headers of foreign) {
          const response = await world.actors[name].client.fetch(call.path(), {
            method: call.method,
            headers: { ...headers, ...(call.body ? { "content-type": "application/json" } : {}) },
            body: call.body ? JSON.stringify(call.body) : undefined,
          });
          expect(response.status, `${call.method} ${call.path()} with ${JSON.stringify(headers)}`).toBe(403);
          expect((await response.json()).error.code).toBe("forbidden");
        }
        expect(await h.rowCounts()).toEqual(before);
        expect(await h.emulator.calls({ since })).toEqual([]);
      },
    );
  },
);
