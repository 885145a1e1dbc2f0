import { describe, expect, it } from "vitest";
import {
  ACTION_ARGUMENTS_LIMIT,
  ACTION_BODY_LIMIT_BYTES,
  actionRequestDefect,
  formPostDefect,
} from "@/lib/platform/action-request";

const ID = "7f".padEnd(42, "0");
const unreadable = (defect: string) => ({ status: 400, defect });

function post(argumentList: string, options: { id?: string; fields?: Record<string, string> } = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(options.fields ?? { _1_companyName: "Acme" })) form.append(name, value);
  form.append("0", argumentList);
  return new Request("http://app.test/onboarding", {
    method: "POST",
    headers: { "next-action": options.id ?? ID },
    body: form,
  });
}

/** A post of `argumentList` as text, as React sends an argument list with no form in it. */
const textPost = (argumentList: string) =>
  new Request("http://app.test/onboarding", {
    method: "POST",
    headers: { "next-action": ID, "content-type": "text/plain;charset=UTF-8" },
    body: argumentList,
  });

describe("actionRequestDefect", () => {
  it.each([
    [`[{"status":"idle"},"$K1"]`],
    [`["$K1"]`],
    [`[{"status":"error","message":"$$5 off","fields":"$undefined"},"$K1"]`],
    [`[{"status":"success","message":"Set up.","next":"$T"},"$K1"]`],
    [`[]`],
  ])("accepts what React's client sends for a form: %s", async (argumentList) => {
    expect(await actionRequestDefect(post(argumentList))).toBeNull();
  });

  it.each([
    [`[{"status":"idle"},"$Q1"]`],
    [`["$@1"]`],
    [`[{"status":"$h1"},"$K1"]`],
    [`[{"a":["$F1"]},"$K1"]`],
    [`[{"status":`],
    [`"$K1"`],
    [`"$T"`],
    [`[{"next":"$T1"},"$K1"]`],
  ])("refuses arguments React would decode on trust: %s", async (argumentList) => {
    expect(await actionRequestDefect(post(argumentList))).toEqual(unreadable("holds arguments that cannot be read"));
  });

  it.each([
    [`[{"status":"idle"},{"companyName":"Acme","__proto__":{"isAdmin":true}}]`],
    [`[{"status":"idle"},{"nested":[{"__proto__":null}]}]`],
  ])(
    "refuses a __proto__ key, which React drops unseen where the API names it as unknown: %s",
    async (argumentList) => {
      expect(await actionRequestDefect(textPost(argumentList))).toEqual(
        unreadable("holds arguments that cannot be read"),
      );
    },
  );

  it("accepts as many arguments as Next.js calls an action with, and refuses one more", async () => {
    const list = (n: number) => `[${"null,".repeat(n - 1)}"$K1"]`;
    expect(await actionRequestDefect(post(list(ACTION_ARGUMENTS_LIMIT)))).toBeNull();
    expect(await actionRequestDefect(post(list(ACTION_ARGUMENTS_LIMIT + 1)))).toEqual(
      unreadable("holds arguments that cannot be read"),
    );
  });

  it.each([[`["$K1"]`], [`[{"status":"idle"},"$K2"]`]])(
    "refuses a form reference in a text/plain post, which carries no form: %s",
    async (argumentList) => {
      expect(await actionRequestDefect(textPost(argumentList))).toEqual(
        unreadable("holds arguments that cannot be read"),
      );
    },
  );

  it.each([
    [`[{"status":"idle"},{"signedInAs":"u1","companyName":"Acme"}]`],
    [`[{"status":"success","message":"Set up.","next":"$T"},{"companyName":"$$5 off"}]`],
    [`["$T","$T"]`],
  ])(
    "accepts the fields a form hands its action as text, with a value kept in the browser ($T): %s",
    async (argumentList) => {
      expect(await actionRequestDefect(textPost(argumentList))).toBeNull();
    },
  );

  it("accepts a text/plain post of plain JSON arguments", async () => {
    expect(await actionRequestDefect(textPost(`[{"status":"idle"},"$undefined","$$5"]`))).toBeNull();
  });

  it("refuses an action id of the wrong shape, and fields no form sends", async () => {
    for (const id of ["x", "00deadbeef", ID.slice(1), `${ID}0`, ID.toUpperCase()])
      expect(await actionRequestDefect(post(`["$K1"]`, { id })), id).toEqual(unreadable("names no server action"));
    expect(await actionRequestDefect(post(`["$K1"]`, { fields: { $ACTION_REF_1: "" } }))).toEqual(
      unreadable("holds fields no form of this site sends"),
    );
  });

  it("refuses a form larger than Next.js takes for an action with 413, whether its length is declared or not", async () => {
    const large = post(`["$K1"]`, { fields: { _1_companyName: "a".repeat(ACTION_BODY_LIMIT_BYTES) } });
    expect(await actionRequestDefect(large)).toEqual({ status: 413, defect: "is larger than 1 MB" });
    const declared = new Request("http://app.test/onboarding", {
      method: "POST",
      headers: { "next-action": ID, "content-length": String(ACTION_BODY_LIMIT_BYTES + 1) },
      body: "[]",
    });
    expect(await actionRequestDefect(declared)).toEqual({ status: 413, defect: "is larger than 1 MB" });
    const justUnder = post(`["$K1"]`, { fields: { _1_companyName: "a".repeat(ACTION_BODY_LIMIT_BYTES - 1_000) } });
    expect(await actionRequestDefect(justUnder)).toBeNull();
  });
});

describe("actionRequestDefect reads the body as Next.js reads a fetch action's", () => {
  const raw = (type: string, body: string) =>
    new Request("http://app.test/onboarding", {
      method: "POST",
      headers: { "next-action": ID, "content-type": type },
      body,
    });
  const multipart = (parts: string[]) => `${parts.map((part) => `--XyZ\r\n${part}\r\n`).join("")}--XyZ--\r\n`;
  const part = (headers: string[], value: string) => `${headers.join("\r\n")}\r\n\r\n${value}`;
  const named = (name: string) => `Content-Disposition: form-data; name="${name}"`;

  it("refuses a part with two names, which another parser would read as another field", async () => {
    const body = multipart([part([named("0"), named("_1_x")], `["$Q9"]`), part([named("0")], "[]")]);
    expect(await actionRequestDefect(raw("multipart/form-data; boundary=XyZ", body))).toEqual(
      unreadable("holds arguments that cannot be read"),
    );
  });

  it("refuses a file, which no form of this site sends", async () => {
    const file = part(['Content-Disposition: form-data; name="0"; filename="a.txt"', "Content-Type: text/plain"], "[]");
    expect(await actionRequestDefect(raw("multipart/form-data; boundary=XyZ", multipart([file])))).toEqual(
      unreadable("is not a readable form"),
    );
  });

  it.each([["application/x-www-form-urlencoded;charset=UTF-8"], ["Multipart/form-data; boundary=XyZ"]])(
    "reads a body of type %s as the argument list itself, as Next.js does",
    async (type) => {
      expect(await actionRequestDefect(raw(type, `--XyZ\r\n${named("0")}\r\n\r\n[]\r\n--XyZ--`))).toEqual(
        unreadable("holds arguments that cannot be read"),
      );
      expect(await actionRequestDefect(raw(type, `[{"status":"idle"},"$undefined"]`))).toBeNull();
    },
  );

  it("leaves exactly application/x-www-form-urlencoded to Next.js, which refuses it without decoding", async () => {
    expect(await actionRequestDefect(raw("application/x-www-form-urlencoded", "0=%5B%22%24Q1%22%5D"))).toBeNull();
  });
});

describe("formPostDefect (a form posted before React loaded)", () => {
  const formPost = (fields: [string, string][], type?: string) => {
    const form = new FormData();
    for (const [name, value] of fields) form.append(name, value);
    const body = type === "application/x-www-form-urlencoded" ? new URLSearchParams(fields).toString() : form;
    return new Request("http://app.test/onboarding", {
      method: "POST",
      ...(type ? { headers: { "content-type": type } } : {}),
      body,
    });
  };

  it.each([
    ["an action by id", [[`$ACTION_ID_${ID}`, ""]]],
    [
      "a bound action with no bound arguments",
      [
        ["$ACTION_REF_1", ""],
        ["$ACTION_1:0", `{"id":"${ID}","bound":null}`],
      ],
    ],
    [
      "a bound action with plain bound arguments",
      [
        ["$ACTION_REF_1", ""],
        ["$ACTION_1:0", `{"id":"${ID}","bound":"$@1"}`],
        ["$ACTION_1:1", `[{"status":"idle"},"$undefined"]`],
        ["$ACTION_KEY", "k1"],
      ],
    ],
    ["no action at all (a plain form post)", [["companyName", "Acme"]]],
  ] as [string, [string, string][]][])("accepts %s", async (_what, fields) => {
    expect(await formPostDefect(formPost([...fields, ["companyName", "Acme"]]))).toBeNull();
  });

  it.each([
    ["bound arguments that are a forged reference", [["$ACTION_1:0", `{"id":"${ID}","bound":"$Q9"}`]]],
    ["bound arguments in a field that is not there", [["$ACTION_1:0", `{"id":"${ID}","bound":"$@2"}`]]],
    [
      "bound arguments holding a reference",
      [
        ["$ACTION_1:0", `{"id":"${ID}","bound":"$@1"}`],
        ["$ACTION_1:1", `["$K1"]`],
      ],
    ],
    [
      "bound arguments holding a value kept in the browser, which Next.js has nowhere to put there",
      [
        ["$ACTION_1:0", `{"id":"${ID}","bound":"$@1"}`],
        ["$ACTION_1:1", `["$T"]`],
      ],
    ],
    ["metadata that is not JSON", [["$ACTION_1:0", "{bad"]]],
    ["metadata with another key", [["$ACTION_1:0", `{"id":"${ID}","bound":null,"x":1}`]]],
    ["metadata whose id is of the wrong shape", [["$ACTION_1:0", `{"id":"$h1","bound":null}`]]],
    ["no metadata", []],
  ] as [string, [string, string][]][])("refuses a bound action with %s", async (_what, fields) => {
    expect(await formPostDefect(formPost([["$ACTION_REF_1", ""], ...fields]))).toEqual(
      unreadable("holds arguments that cannot be read"),
    );
  });

  it("refuses an action id of the wrong shape, and two actions named at once", async () => {
    expect(await formPostDefect(formPost([["$ACTION_ID_zz", ""]]))).toEqual(unreadable("names no server action"));
    expect(
      await formPostDefect(
        formPost([
          [`$ACTION_ID_${ID}`, ""],
          ["$ACTION_REF_1", ""],
        ]),
      ),
    ).toEqual(unreadable("names more than one server action"));
  });

  it("checks a url-encoded post the same way, and leaves other bodies to the page", async () => {
    const type = "application/x-www-form-urlencoded";
    expect(await formPostDefect(formPost([["$ACTION_REF_1", ""]], type))).toEqual(
      unreadable("holds arguments that cannot be read"),
    );
    const json = new Request("http://app.test/onboarding", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(await formPostDefect(json)).toBeNull();
  });
});
