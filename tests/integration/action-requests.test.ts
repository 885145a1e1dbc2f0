/**
 * Server-action posts no browser sends (a forged reference in the argument list, arguments that
 * are not JSON, an action id of the wrong shape, the form left out) are refused as bad input,
 * never answered with a 500, and the signed-in customer's form state says what was wrong.
 */
import { describe, expect, it } from "vitest";
import { h } from "../support/harness";

const onboardId = () => h.actions.id("app/onboarding/actions.ts", "onboardAction");

async function post(client: Awaited<ReturnType<typeof h.customer>>["client"], id: string, argumentList: string) {
  const form = new FormData();
  form.append("_1_companyName", "Forged Co");
  form.append("0", argumentList);
  const response = await client.fetch("/onboarding", {
    method: "POST",
    headers: { "Next-Action": id, Accept: "text/x-component", Origin: client.origin },
    body: form,
  });
  return { status: response.status, body: await response.text() };
}

describe("a server-action post no browser sends", () => {
  it.each([
    ["a forged reference", `[{"status":"idle"},"$Q1"]`],
    ["a forged chunk reference", `["$@1"]`],
    ["arguments that are not JSON", `[{"status":`],
    ["a forged server reference", `[{"status":"$h1"},"$K1"]`],
  ])("with %s is refused with 400 in the envelope", async (_what, argumentList) => {
    const { client } = await h.customer("forged-action");
    const { status, body } = await post(client, onboardId(), argumentList);
    expect(status).toBe(400);
    expect(JSON.parse(body).error.code).toBe("invalid_request");
  });

  it("posted as text/plain with a reference to a form it does not carry is refused with 400 in the envelope", async () => {
    const { client } = await h.customer("forged-action-text");
    const response = await client.fetch("/onboarding", {
      method: "POST",
      headers: {
        "Next-Action": onboardId(),
        Accept: "text/x-component",
        Origin: client.origin,
        "Content-Type": "text/plain;charset=UTF-8",
      },
      body: `["$K1"]`,
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_request");
  });

  it("naming an action id of the wrong shape is refused with 400 in the envelope", async () => {
    const { client } = await h.customer("forged-action-id");
    const { status, body } = await post(client, "x", `[{"status":"idle"},"$K1"]`);
    expect(status).toBe(400);
    expect(JSON.parse(body).error.code).toBe("invalid_request");
  });

  it("leaving the form out gets an invalid-request form state, not an internal error", async () => {
    const { client } = await h.customer("forged-action-no-form");
    const { status, body } = await post(client, onboardId(), `["$K1"]`);
    expect(status).toBe(200);
    expect(h.actions.formState(body)).toMatchObject({ status: "error", code: "invalid_request" });
    expect(
      await h.count(
        `SELECT 1 FROM "OnboardingClaim" WHERE "sourceId" = (SELECT id FROM "User" WHERE email LIKE 'forged-action-no-form%' LIMIT 1)`,
      ),
    ).toBe(0);
  });

  it("larger than Next.js takes for an action (1 MB) is refused with 413 in the envelope, and writes nothing", async () => {
    const { client, id } = await h.customer("large-action");
    const form = new FormData();
    form.append("_1_companyName", "a".repeat(1_100_000));
    form.append("0", `[{"status":"idle"},"$K1"]`);
    const response = await client.fetch("/onboarding", {
      method: "POST",
      headers: { "Next-Action": onboardId(), Accept: "text/x-component", Origin: client.origin },
      body: form,
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("payload_too_large");
    expect(await h.count(`SELECT 1 FROM "OnboardingClaim" WHERE "sourceId" = $1`, [id])).toBe(0);
  });

  it("with a field given twice gets a form state naming it, and creates nothing", async () => {
    const { client, id } = await h.customer("repeated-field");
    const form = new FormData();
    form.append("_1_companyName", "First Co");
    form.append("_1_companyName", "Second Co");
    form.append("0", `[{"status":"idle"},"$K1"]`);
    const response = await client.fetch("/onboarding", {
      method: "POST",
      headers: { "Next-Action": onboardId(), Accept: "text/x-component", Origin: client.origin },
      body: form,
    });
    expect(h.actions.formState(await response.text())).toMatchObject({
      status: "error",
      code: "invalid_request",
      fields: { companyName: ["must be given once"] },
    });
    expect(await h.count(`SELECT 1 FROM "OnboardingClaim" WHERE "sourceId" = $1`, [id])).toBe(0);
  });
});
