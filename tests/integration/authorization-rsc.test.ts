/**
 * The variants of a page request that have reached what the HTML could not elsewhere (the RSC
 * header, `?_rsc`, `.rsc`) are refused like the page itself, and the cron route runs only for
 * Vercel Cron's secret.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { h, type HttpClient } from "../support/harness";
import { signInActors, world } from "./authorization/actors";

beforeAll(signInActors);

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
  ] as const)(
    "%s on %s (RSC header, ?_rsc and .rsc) gets a redirect or refusal, and no one else's data",
    async (name, template) => {
      const path = template.replace("[customer's id]", world.customerEndUser);
      const client = world.actors[name].client;
      for (const variant of [path, `${path}?_rsc=1`, `${path}.rsc`]) {
        const { status, body } = await rscFetch(client, variant);
        // An RSC answer may be a 200 that carries the redirect / 403 / 404 for the client router.
        if (status === 200) expect(body, variant).toMatch(/NEXT_REDIRECT|NEXT_HTTP_ERROR_FALLBACK;40[34]/);
        for (const secret of world.secretsHiddenFrom(name)) expect(body, variant).not.toContain(secret);
      }
      const plain = await client.fetch(`${path}.rsc`);
      const body = await plain.text();
      if (plain.status === 200) expect(body).toMatch(/NEXT_REDIRECT|NEXT_HTTP_ERROR_FALLBACK;40[34]/);
      for (const secret of world.secretsHiddenFrom(name)) expect(body).not.toContain(secret);
    },
  );
});

describe("the cron route", () => {
  it("runs only for Vercel Cron's bearer secret", async () => {
    expect(await h.reconcile()).toMatchObject({ claims: expect.any(Object), cache: expect.any(Object) });
    const wrong = await h.fetch(`${h.stack.appOrigin}/api/cron/reconcile`, {
      headers: { authorization: `Bearer ${h.stack.cronSecret}x` },
    });
    expect(wrong.status).toBe(401);
  });
});
