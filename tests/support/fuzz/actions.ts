/**
 * One fuzz surface per server action in the build's server-reference manifest: posted to its page
 * the way React's client posts it (multipart reply form: `_1_<field>` entries and the argument
 * list `0`), with hostile fields, argument lists, encodings, action ids, sessions and Origins.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { TEST_DIST_DIR } from "../app-server";
import { alnum, asHeaderText, hostileJson, hostileText, nastyWords, pathSegment, around } from "./hostile";
import { formOrigin, requestHeaders, type FuzzContext, type FuzzRequest } from "./requests";
import type { Baseline } from "./runner";

type Arb = fc.Arbitrary<string>;

export type ActionSurface = {
  /** The page the action's form lives on. */
  page: (ctx: FuzzContext) => Arb;
  /** Valid-looking values of each form field. */
  fields: (ctx: FuzzContext) => Record<string, Arb>;
  /** The form takes the previous state first (`useActionState`), as every form action here does. */
  withState: boolean;
};

const endUserId = (ctx: FuzzContext): Arb =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(ctx.ownEndUserId) },
    { weight: 2, arbitrary: fc.constant(ctx.otherEndUserId) },
    { weight: 1, arbitrary: alnum(1, 30).map((id) => `end_usr_${id}`) },
  );
const provider: Arb = fc.constantFrom("altur", "dify", "conductor", "ＡＬＴＵＲ");
const endUserPage = (ctx: FuzzContext) => pathSegment(endUserId(ctx)).map((id) => `/end-users/${id}`);
const connectionPages = (ctx: FuzzContext) =>
  fc.oneof(fc.constantFrom("/onboarding", "/onboarding/connected"), endUserPage(ctx));
const connectionFields = (ctx: FuzzContext) => ({ endUserId: endUserId(ctx) });

/** Keyed `<file>#<export>` as the manifest names them. */
export const actionSurfaces: Record<string, ActionSurface> = {
  "lib/web/auth/sign-out.ts#signOutAction": {
    page: () => fc.constantFrom("/", "/onboarding", "/signin", "/end-users"),
    fields: () => ({}),
    withState: false,
  },
  "app/end-users/actions.ts#refreshAction": {
    page: () => fc.constant("/end-users"),
    fields: () => ({}),
    withState: true,
  },
  "app/end-users/actions.ts#markOffboardedAction": {
    page: () => fc.constant("/end-users"),
    fields: (ctx) => ({ endUserId: endUserId(ctx) }),
    withState: true,
  },
  "app/_components/connection/actions.ts#checkConnectionAction": {
    page: connectionPages,
    fields: connectionFields,
    withState: true,
  },
  "app/_components/connection/actions.ts#openSetupAction": {
    page: connectionPages,
    fields: connectionFields,
    withState: true,
  },
  "app/_components/connection/actions.ts#sendConnectLinkAction": {
    page: connectionPages,
    fields: connectionFields,
    withState: true,
  },
  "app/end-users/[id]/actions.ts#linkProviderAction": {
    page: endUserPage,
    fields: (ctx) => ({
      endUserId: endUserId(ctx),
      provider,
      externalId: fc.oneof(fc.uuid({ version: 4 }), alnum(1, 40)),
    }),
    withState: true,
  },
  "app/end-users/[id]/actions.ts#refreshProviderAction": {
    page: endUserPage,
    fields: (ctx) => ({
      endUserId: endUserId(ctx),
      provider,
      externalId: fc.oneof(fc.uuid({ version: 4 }), alnum(1, 40)),
    }),
    withState: true,
  },
  "app/end-users/[id]/actions.ts#unlinkProviderAction": {
    page: endUserPage,
    fields: (ctx) => ({
      endUserId: endUserId(ctx),
      provider,
      externalId: fc.oneof(fc.uuid({ version: 4 }), alnum(1, 40)),
    }),
    withState: true,
  },
  "app/end-users/[id]/actions.ts#offboardAction": {
    page: endUserPage,
    fields: (ctx) => ({
      endUserId: endUserId(ctx),
      confirmation: fc.constantFrom("Fuzz Owner Co", "fuzz owner co", "x"),
    }),
    withState: true,
  },
  "app/onboarding/actions.ts#onboardAction": {
    page: () => fc.constant("/onboarding"),
    fields: () => ({ companyName: fc.oneof(fc.lorem({ maxCount: 3 }), alnum(1, 30)) }),
    withState: true,
  },
};

type Manifest = { node: Record<string, { filename: string; exportedName: string }> };

/** Every server action of the build, keyed `<file>#<export>`, with its id. */
export function builtActions(distDir = TEST_DIST_DIR): Record<string, string> {
  const manifest = JSON.parse(
    readFileSync(path.join(distDir, "server", "server-reference-manifest.json"), "utf8"),
  ) as Manifest;
  return Object.fromEntries(
    Object.entries(manifest.node).map(([id, action]) => [`${action.filename}#${action.exportedName}`, id]),
  );
}

const enc = new TextEncoder();

/** A multipart body built byte by byte, so names and values may hold what FormData would clean up. */
function multipart(parts: [name: string, value: string | Uint8Array][], boundary: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const [name, value] of parts) {
    chunks.push(enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`));
    chunks.push(typeof value === "string" ? enc.encode(value) : value);
    chunks.push(enc.encode("\r\n"));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** A form field's name as a browser escapes it in multipart, or now and then raw. */
const fieldName = (name: string, raw: boolean) =>
  raw ? name : name.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");

/**
 * An action posted without JavaScript (no Next-Action header) is answered with its page: the same
 * page opened by the same person is what its render may read anyway.
 */
export const pageOpenedInstead: Baseline = (request) =>
  request.headers["next-action"] === undefined
    ? { surface: request.surface, method: "GET", path: request.path, headers: pick(request.headers, "cookie") }
    : undefined;

const pick = (headers: Record<string, string>, name: string) =>
  headers[name] === undefined ? {} : { [name]: headers[name] };

/** Server actions fuzzed together, each group one property run (its cases spread over its actions). */
export const actionGroups: Record<string, string[]> = {
  "customer actions": [
    "app/onboarding/actions.ts#onboardAction",
    "app/_components/connection/actions.ts#checkConnectionAction",
    "app/_components/connection/actions.ts#openSetupAction",
    "app/_components/connection/actions.ts#sendConnectLinkAction",
  ],
  // Offboarding and signing out change what other cases see: this group runs last.
  "operator actions and sign-out": [
    "app/end-users/actions.ts#refreshAction",
    "app/end-users/actions.ts#markOffboardedAction",
    "app/end-users/[id]/actions.ts#linkProviderAction",
    "app/end-users/[id]/actions.ts#refreshProviderAction",
    "app/end-users/[id]/actions.ts#unlinkProviderAction",
    "app/end-users/[id]/actions.ts#offboardAction",
    "lib/web/auth/sign-out.ts#signOutAction",
  ],
};

/** The requests of each action of a group (`built`: every action's id). */
export function actionGroupRequests(
  group: string,
  built: Record<string, string>,
  ctx: FuzzContext,
): fc.Arbitrary<FuzzRequest>[] {
  return actionGroups[group]!.map((key) =>
    actionRequests(
      key,
      built[key]!,
      Object.values(built).filter((id) => id !== built[key]),
      ctx,
    ),
  );
}

/** Every request an action surface may see. */
export function actionRequests(
  key: string,
  id: string,
  otherIds: string[],
  ctx: FuzzContext,
): fc.Arbitrary<FuzzRequest> {
  const surface = actionSurfaces[key]!;
  const fields = surface.fields(ctx);
  const known = Object.entries(fields).map(([name, valid]) =>
    fc
      .option(
        fc.oneof(
          { weight: 5, arbitrary: around(valid).map((text): string | Uint8Array => text) },
          { weight: 1, arbitrary: hostileJson.map((text): string | Uint8Array => text) },
          { weight: 1, arbitrary: fc.constant(Uint8Array.from([0x61, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x00])) },
        ),
        { freq: 6 },
      )
      .map((value) => (value === null ? [] : [[`_1_${name}`, value] as [string, string | Uint8Array]])),
  );
  const extra = fc.array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(...nastyWords.slice(0, 9)).map((key) => `_1_${key}`),
        fc.constantFrom("$ACTION_ID_x", "$ACTION_REF_1", "$ACTION_1:0", "1", "_1_", "__proto__", "0"),
        hostileText,
      ),
      hostileText.map((text): string | Uint8Array => text),
    ),
    { maxLength: 2 },
  );
  const args = fc.oneof(
    { weight: 8, arbitrary: fc.constant(surface.withState ? `[{"status":"idle"},"$K1"]` : `["$K1"]`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        `["$K1"]`,
        `[]`,
        `["$K1","$K1"]`,
        `[{"__proto__":{"status":"success"}},"$K1"]`,
        `[{"constructor":{"prototype":{"x":1}}},"$K1"]`,
        `["$@1"]`,
        `["$Q1"]`,
        `[{"status":"idle"},"$K2"]`,
        `"$K1"`,
        `{"0":"$K1"}`,
        `[{"status":"idle"},"$Z"]`,
      ),
    },
    { weight: 1, arbitrary: hostileJson },
    { weight: 1, arbitrary: hostileText },
  );
  const actionId = fc.oneof(
    { weight: 12, arbitrary: fc.constant(id) },
    { weight: 1, arbitrary: fc.constantFrom(...otherIds, `${id}00`, id.slice(0, -2), "x", "") },
    { weight: 1, arbitrary: hostileText.map(asHeaderText) },
  );
  const encoding = fc.oneof(
    { weight: 8, arbitrary: fc.constant("multipart" as const) },
    {
      weight: 2,
      arbitrary: fc.constantFrom("urlencoded" as const, "text" as const, "raw-names" as const, "no-js" as const),
    },
    // The fields as an object in a text post, as the onboarding form hands them (submit-fields.ts).
    { weight: 2, arbitrary: fc.constant("fields-text" as const) },
  );
  return fc
    .record({
      page: surface.page(ctx),
      actionId,
      known: fc.tuple(...known),
      extra: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: extra }),
      args,
      encoding,
      headers: requestHeaders(ctx, false),
      origin: formOrigin(ctx),
    })
    .map(({ page, actionId: action, known: present, extra: more, args: list, encoding: how, headers, origin }) => {
      const parts: [string, string | Uint8Array][] = [...present.flat(), ...more, ["0", list]];
      const { "content-type": _type, origin: _origin, ...rest } = headers;
      const base: Record<string, string> = { ...rest, ...origin, "next-action": action, accept: "text/x-component" };
      if (how === "fields-text") {
        const sent = Object.fromEntries(
          [...present.flat(), ...more]
            .filter(([name]) => name !== "0")
            .map(([name, value]) => [name.replace(/^_1_/, ""), typeof value === "string" ? value : [...value]]),
        );
        return {
          surface: key,
          method: "POST",
          path: page,
          headers: { ...base, "content-type": "text/plain;charset=UTF-8" },
          body: JSON.stringify(surface.withState ? [{ status: "idle" }, sent] : [sent]),
        };
      }
      if (how === "text")
        return {
          surface: key,
          method: "POST",
          path: page,
          headers: { ...base, "content-type": "text/plain;charset=UTF-8" },
          body: list,
        };
      if (how === "urlencoded") {
        const body = parts
          .map(
            ([name, value]) =>
              `${encodeURIComponent(name.replace(/[\ud800-\udfff]/g, "\ufffd"))}=${typeof value === "string" ? encodeURIComponent(value.replace(/[\ud800-\udfff]/g, "\ufffd")) : "%ff%fe"}`,
          )
          .join("&");
        return {
          surface: key,
          method: "POST",
          path: page,
          headers: { ...base, "content-type": "application/x-www-form-urlencoded" },
          body,
        };
      }
      const boundary = "----fuzzBoundary7MA4YWxkTrZu0gW";
      if (how === "no-js") {
        // The form submitted before React loaded: the action named in a field, the fields unprefixed.
        const { "next-action": _action, ...plain } = base;
        const fields = [
          [`$ACTION_ID_${action}`, ""] as [string, string | Uint8Array],
          ...present.flat().map(([name, value]): [string, string | Uint8Array] => [name.replace(/^_1_/, ""), value]),
          ...more,
        ];
        return {
          surface: key,
          method: "POST",
          path: page,
          headers: { ...plain, accept: "text/html", "content-type": `multipart/form-data; boundary=${boundary}` },
          body: multipart(
            fields.map(([name, value]) => [fieldName(name, false), value]),
            boundary,
          ),
        };
      }
      const raw = how === "raw-names";
      const body = multipart(
        parts.map(([name, value]) => [fieldName(name, raw), value]),
        boundary,
      );
      return {
        surface: key,
        method: "POST",
        path: page,
        headers: { ...base, "content-type": `multipart/form-data; boundary=${boundary}` },
        body,
      };
    });
}
