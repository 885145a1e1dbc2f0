/**
 * Server-action posts no browser sends (a forged reference in the argument list, arguments that
 * are not JSON, an action id of the wrong shape, the form left out) are refused as bad input,
 * never answered with a 500, and the signed-in customer's form state says what was wrong.
 */
import { describe, expect, it } from "vitest";
import { h } from "../support/harness";

const onboardId = () => h.actions.id("app/onboarding/actions.ts", "onboardAction");

type HttpClient = Awaited<ReturnType<typeof h.customer>>["client"];

async function post(client: HttpClient, id: string, argumentList: string, path = "/onboarding") {
  const form = new FormData();
  form.append("_1_companyName", "Forged Co");
  form.append("0", argumentList);
  const response = await client.fetch(path, {
    method: "POST",
    headers: { "Next-Action": id, Accept: "text/x-component", Origin: client.origin },
    body: form,
  });
  return { status: response.status, body: await response.text() };
}

/** A server-action post of `argumentList` as text, as React sends an argument list with no form in it. */
async function postText(client: HttpClient, id: string, argumentList: string, path = "/onboarding") {
  const response = await client.fetch(path, {
    method: "POST",
    headers: {
      "Next-Action": id,
      Accept: "text/x-component",
      Origin: client.origin,
      "Content-Type": "text/plain;charset=UTF-8",
    },
    body: argumentList,
  });
  return { status: response.status, body: await response.text() };
}

const claims = (sourceId: string) => h.count(`SELECT 1 FROM "OnboardingClaim" WHERE "sourceId" = $1`, [sourceId]);

describe("the onboarding form's fields posted as text, as the browser sends them", () => {
  it("create the customer's end-user, and a second queued submit (its state kept in the browser, $T) finds it done", async () => {
    const { client, id } = await h.customer("text-fields");
    const first = await postText(
      client,
      onboardId(),
      `[{"status":"idle"},{"signedInAs":"${id}","companyName":"Text Co"}]`,
    );
    expect(h.actions.formState(first.body)).toMatchObject({ status: "success" });
    const second = await postText(
      client,
      onboardId(),
      `[{"status":"success","message":"Set up.","next":"$T"},{"signedInAs":"${id}","companyName":"Text Co"}]`,
    );
    expect(h.actions.formState(second.body)).toMatchObject({ status: "success" });
    expect(h.actions.formState(second.body).message).toContain("already set up");
    expect(await h.cachedCount(id)).toBe(1);
  });

  it("are still taken as React's multipart form, which a form that does not hand its fields as text posts", async () => {
    const { client, id } = await h.customer("form-fields");
    const reply = await h.actions.call(
      client,
      "/onboarding",
      onboardId(),
      { companyName: "Form Co" },
      {
        previousState: h.actions.idleState,
      },
    );
    expect(h.actions.formState(reply.body)).toMatchObject({ status: "success" });
    expect(await h.cachedCount(id)).toBe(1);
  });

  it.each([
    ["the fields left out", `[{"status":"idle"}]`, { form: ["is missing"] }],
    ["the fields as a value kept in the browser", `[{"status":"idle"},"$T"]`, { form: ["is missing"] }],
    ["the fields as a list", `[{"status":"idle"},["Acme"]]`, { form: ["is missing"] }],
    ["the fields as a string", `[{"status":"idle"},"Acme"]`, { form: ["is missing"] }],
    ["a value kept in the browser as the company name", `[{"status":"idle"},{"companyName":"$T"}]`, "companyName"],
    ["a number as the company name", `[{"status":"idle"},{"companyName":7}]`, "companyName"],
    ["a field no form sends", `[{"status":"idle"},{"companyName":"Acme","sourceId":"x"}]`, "sourceId"],
  ] as [string, string, Record<string, string[]> | string][])(
    "with %s get a form state naming what was wrong, and create nothing",
    async (_what, argumentList, fields) => {
      const { client, id } = await h.customer("text-fields-bad");
      const { status, body } = await postText(client, onboardId(), argumentList);
      expect(status).toBe(200);
      const state = h.actions.formState(body);
      expect(state).toMatchObject({ status: "error", code: "invalid_request" });
      if (typeof fields === "string") expect(Object.keys(state.fields ?? {})).toContain(fields);
      else expect(state.fields).toEqual(fields);
      expect(await claims(id)).toBe(0);
      expect(await h.cachedCount(id)).toBe(0);
    },
  );

  it("with a field named __proto__, which React's decoding would leave out unseen, are refused with 400 in the envelope, as the API refuses it, and create nothing", async () => {
    const { client, id } = await h.customer("text-fields-proto");
    const argumentList = `[{"status":"idle"},{"companyName":"Proto Co","__proto__":{"companyName":"Polluted"}}]`;
    const { status, body } = await postText(client, onboardId(), argumentList);
    expect(status).toBe(400);
    expect(JSON.parse(body).error).toMatchObject({
      code: "invalid_request",
      fields: { action: ["holds arguments that cannot be read"] },
    });
    expect(await claims(id)).toBe(0);
    expect(await h.cachedCount(id)).toBe(0);
  });
});

describe("a server-action post no browser sends", () => {
  it.each([
    ["a forged reference", `[{"status":"idle"},"$Q1"]`],
    ["a forged chunk reference", `["$@1"]`],
    ["arguments that are not JSON", `[{"status":`],
    ["a forged server reference", `[{"status":"$h1"},"$K1"]`],
    ["more arguments than Next.js calls an action with (1,000)", `[${"null,".repeat(1000)}"$K1"]`],
    ["a hundred thousand temporary references", `[${'"$T",'.repeat(100_000)}"$K1"]`],
  ])("with %s is refused with 400 in the envelope", async (_what, argumentList) => {
    const { client } = await h.customer("forged-action");
    const { status, body } = await post(client, onboardId(), argumentList);
    expect(status).toBe(400);
    expect(JSON.parse(body).error.code).toBe("invalid_request");
  });

  it.each([
    ["the previous state", `["$T","$K1"]`],
    ["the form", `[{"status":"idle"},"$T"]`],
    ["the previous state's next step", `[{"status":"success","message":"Set up.","next":"$T"},"$K1"]`],
  ])(
    "with a value kept in the browser ($T) as %s is answered with a form state, never a 500",
    async (what, argumentList) => {
      const { client } = await h.customer("kept-in-browser");
      const { status, body } = await post(client, onboardId(), argumentList);
      expect({ what, status }).toEqual({ what, status: 200 });
      expect(h.actions.formState(body).status).toBe(what === "the form" ? "error" : "success");
    },
  );

  it("to any action of the site, with $T in place of each argument, is never answered with a 500", async () => {
    const { client } = await h.customer("kept-in-browser-any");
    const actions = h.actions.all();
    expect(actions.length).toBeGreaterThan(5);
    for (const { filename, exportedName, id } of actions)
      for (const argumentList of [`["$T"]`, `["$T","$K1"]`, `[{"status":"idle"},"$T"]`, `["$T","$T"]`]) {
        const { status } = await post(client, id, argumentList);
        expect({ action: `${filename}#${exportedName}`, argumentList, status }).toEqual({
          action: `${filename}#${exportedName}`,
          argumentList,
          status: status < 500 ? status : "not a 5xx",
        });
        if (argumentList.includes("$K1")) continue;
        const text = await postText(client, id, argumentList);
        expect({ action: `${filename}#${exportedName}`, argumentList, text: text.status }).toEqual({
          action: `${filename}#${exportedName}`,
          argumentList,
          text: text.status < 500 ? text.status : "not a 5xx",
        });
      }
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

  it("naming an action id of the wrong shape (not 42 hex digits) is refused with 400 in the envelope", async () => {
    const { client } = await h.customer("forged-action-id");
    for (const id of ["x", "00deadbeef", "7f".padEnd(44, "0")]) {
      const { status, body } = await post(client, id, `[{"status":"idle"},"$K1"]`);
      expect({ id, status }).toEqual({ id, status: 400 });
      expect(JSON.parse(body).error.code).toBe("invalid_request");
    }
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

/** A multipart post of `fields` to `path` as a browser sends a form before React loaded: no Next-Action header. */
/** The hidden `$ACTION…` fields of the onboarding form as /onboarding renders it for `client`. */
async function onboardingFormActionFields(client: HttpClient): Promise<[string, string][]> {
  const html = await (await client.fetch("/onboarding")).text();
  const form = [...html.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)]
    .map(([, inner]) => inner!)
    .find((inner) => inner.includes('name="companyName"'));
  expect(form).toBeDefined();
  return [...form!.matchAll(/<input type="hidden" name="(\$ACTION[^"]*)"(?: value="([^"]*)")?/g)].map(
    ([, name, value]): [string, string] => [name!, (value ?? "").replaceAll("&quot;", '"').replaceAll("&amp;", "&")],
  );
}

/** What a page shows, roughly: its HTML without tags, scripts and runs of white space. */
const htmlText = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ");

function noScriptPost(client: HttpClient, path: string, fields: [string, string][]) {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  return client.fetch(path, { method: "POST", headers: { Origin: client.origin, Accept: "text/html" }, body: form });
}

describe("a form posted without JavaScript (no Next-Action header)", () => {
  it.each([
    ["a bound action whose arguments are a forged reference", [["$ACTION_1:0", '{"id":"{id}","bound":"$Q9"}']]],
    ["a bound action whose metadata is not JSON", [["$ACTION_1:0", "{bad"]]],
    ["a bound action without metadata", []],
  ] as [string, [string, string][]][])(
    "naming %s is refused with 400 in the envelope, signed in or not",
    async (_what, extra) => {
      const { client } = await h.customer("no-script-forged");
      const fields: [string, string][] = [
        ["$ACTION_REF_1", ""],
        ...extra.map(([name, value]): [string, string] => [name, value.replace("{id}", onboardId())]),
        ["companyName", "Forged Co"],
      ];
      for (const who of [client, h.client()]) {
        const response = await noScriptPost(who, "/onboarding", fields);
        expect(response.status).toBe(400);
        expect((await response.json()).error.code).toBe("invalid_request");
      }
    },
  );

  it("sent with a prefetch header is checked all the same", async () => {
    const { client } = await h.customer("no-script-prefetch");
    const form = new FormData();
    form.append("$ACTION_REF_2", "");
    form.append("$ACTION_2:0", `{"id":"${onboardId()}","bound":"$@1"}`);
    form.append("$ACTION_2:1", `["$Q5"]`);
    for (const prefetch of [{ "Next-Router-Prefetch": "1" }, { Purpose: "prefetch" }] as Record<string, string>[]) {
      const response = await client.fetch("/onboarding", {
        method: "POST",
        headers: { Origin: client.origin, ...prefetch },
        body: form,
      });
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_request");
    }
  });

  it("naming an action id of the wrong shape, or two actions, is refused with 400 in the envelope", async () => {
    for (const fields of [
      [["$ACTION_ID_zz", ""]],
      [
        [`$ACTION_ID_${onboardId()}`, ""],
        ["$ACTION_REF_1", ""],
      ],
    ] as [string, string][][]) {
      const response = await noScriptPost(h.client(), "/onboarding", fields);
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_request");
    }
  });

  it("as the page renders it, still onboards the customer (the check refuses only what React cannot decode)", async () => {
    const { client, id } = await h.customer("no-script-real");
    const hidden = await onboardingFormActionFields(client);
    expect(hidden.length).toBeGreaterThan(0);
    const response = await noScriptPost(client, "/onboarding", [...hidden, ["companyName", "No Script Co"]]);
    expect(response.status).toBe(200);
    expect(await h.cachedCount(id)).toBe(1);
  });

  it("from a page opened before another tab set the company up, answers the page that says the name sent was not used", async () => {
    const { client } = await h.customer("no-script-second-tab");
    const hidden = await onboardingFormActionFields(client);
    await h.actions.onboard(client, "First Tab Co");
    const response = await noScriptPost(client, "/onboarding", [...hidden, ["companyName", "Second Tab Co"]]);
    expect(response.status).toBe(200);
    const text = htmlText(await response.text());
    expect(text).toContain(
      "The name you entered, Second Tab Co, was not used: your company was already set up as First Tab Co, in another tab or an earlier visit.",
    );
  });
});

describe("a server-action post whose body Next.js reads otherwise than a browser's form", () => {
  const send = (client: HttpClient, type: string, body: string) =>
    client.fetch("/onboarding", {
      method: "POST",
      headers: { "Next-Action": onboardId(), Accept: "text/x-component", Origin: client.origin, "Content-Type": type },
      body,
    });

  it("with a part named twice, which Next.js's parser reads by its first name, is refused with 400", async () => {
    const { client } = await h.customer("two-names");
    const body = [
      "--XyZ",
      'Content-Disposition: form-data; name="0"',
      'Content-Disposition: form-data; name="_1_x"',
      "",
      '["$Q9"]',
      "--XyZ",
      'Content-Disposition: form-data; name="0"',
      "",
      "[]",
      "--XyZ--",
      "",
    ].join("\r\n");
    const response = await send(client, "multipart/form-data; boundary=XyZ", body);
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_request");
  });

  it.each([["application/x-www-form-urlencoded;charset=UTF-8"], ["Multipart/form-data; boundary=XyZ"]])(
    "typed %s, which Next.js reads as the argument list itself, is refused with 400 when that is no list",
    async (type) => {
      const { client } = await h.customer("odd-type");
      const response = await send(client, type, "0=[]");
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_request");
    },
  );

  it("typed exactly application/x-www-form-urlencoded, which Next.js answers with its not-found page, gets that page under a nonce Content-Security-Policy", async () => {
    const { client } = await h.customer("urlencoded-action");
    const response = await send(client, "application/x-www-form-urlencoded", "x=1");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("text/html");
    const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce).toBeTruthy();
    expect(await response.text()).toContain(`nonce="${nonce}"`);
  });
});

describe("a server-action post to a path that only looks like one Next.js serves itself", () => {
  it.each(["/favicon.ico", "/favicon.icox", "/_next/staticfoo", "/_next/imagex"])(
    "%s: from another origin is refused with 403 in the envelope, and a forged one with 400",
    async (path) => {
      const { client } = await h.customer("lookalike-path");
      const crossOrigin = await client.fetch(path, {
        method: "POST",
        headers: { "Next-Action": onboardId(), Accept: "text/x-component", Origin: "https://evil.example" },
        body: new FormData(),
      });
      expect(crossOrigin.status).toBe(403);
      expect((await crossOrigin.json()).error.code).toBe("forbidden");
      const { status, body } = await post(client, onboardId(), `["$Q1"]`, path);
      expect(status).toBe(400);
      expect(JSON.parse(body).error.code).toBe("invalid_request");
    },
  );
});
