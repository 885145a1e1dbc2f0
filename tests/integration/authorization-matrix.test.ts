/**
 * Who may do what, checked against the running app for every page, route handler and server
 * action (authorization/routes.ts), for every kind of caller including forged tokens
 * (authorization/actors.ts), and with the header that has bypassed middleware-only guards
 * elsewhere (x-middleware-subrequest).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ACTORS, signInActors, world } from "./authorization/actors";
import { expected, ROUTES } from "./authorization/routes";

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
