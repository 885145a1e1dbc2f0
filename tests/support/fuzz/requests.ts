/**
 * What a fuzzed request carries besides its path and body: who sends it (a real session or token,
 * or a forged, truncated or hostile one), its Origin, content type and client-address headers.
 */
import fc from "fast-check";
import { asHeaderText, headerValue, hostileText, nastyWords } from "./hostile";

/** The people and machines the fuzz acts as, each as the headers that authenticate it. */
export type Identities = {
  /** Signed in, not onboarded. */
  customer: string;
  /** Signed in, owns `ownEndUserId`. */
  owner: string;
  operator: string;
  serviceTokens: string[];
  cronSecret: string;
  secrets: string[];
};

/** What surfaces need to know of the stack to aim at real rows as well as at junk. */
export type FuzzContext = {
  origin: string;
  identities: Identities;
  ownEndUserId: string;
  otherEndUserId: string;
};

export type FuzzRequest = {
  /** The surface (route file, or server action) the request was made for. */
  surface: string;
  method: string;
  /** Path and query, already percent-encoded (sometimes badly, on purpose). */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
};

const SESSION_COOKIE = "next-auth.session-token";

function authHeaders(ctx: FuzzContext): fc.Arbitrary<Record<string, string>> {
  const { identities: id } = ctx;
  const cookie = (token: string) => ({ cookie: `${SESSION_COOKIE}=${token}` });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const forged = fc.oneof(
    hostileText.map(asHeaderText),
    fc.constantFrom(...id.secrets).map((secret) => secret.toUpperCase()),
    fc.constantFrom(...id.secrets).map((secret) => secret.slice(0, -1)),
    fc.constantFrom(...id.secrets).map((secret) => `${secret} `),
    fc.constantFrom(...id.secrets).map((secret) => [...secret].map((c) => (c === "_" ? "\u00ff" : c)).join("")),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({}) },
    { weight: 3, arbitrary: fc.constant(cookie(id.customer)) },
    { weight: 4, arbitrary: fc.constant(cookie(id.owner)) },
    { weight: 4, arbitrary: fc.constant(cookie(id.operator)) },
    { weight: 2, arbitrary: fc.constantFrom(...id.serviceTokens).map(bearer) },
    { weight: 1, arbitrary: fc.constant(bearer(id.cronSecret)) },
    { weight: 2, arbitrary: forged.map(bearer) },
    { weight: 2, arbitrary: forged.map(cookie) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(headerValue(fc.constantFrom("Bearer", "Basic", "bearer", "Bearer  ", "")), forged)
        .map(([scheme, token]) => ({ authorization: `${scheme} ${token}` })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(id.owner, id.operator), fc.constantFrom(...id.serviceTokens))
        .map(([session, token]) => ({ ...cookie(session), ...bearer(token) })),
    },
    {
      weight: 1,
      arbitrary: headerValue(fc.constantFrom(`${SESSION_COOKIE}=`, `${SESSION_COOKIE}=a; ${SESSION_COOKIE}=b`)).map(
        (value) => ({ cookie: value }),
      ),
    },
  );
}

/** Origin, content type, client address and other headers a browser, a proxy or an attacker sets. */
function otherHeaders(ctx: FuzzContext, withBody: boolean): fc.Arbitrary<Record<string, string>> {
  const optional = (name: string, value: fc.Arbitrary<string>, freq = 2) =>
    fc.option(value, { freq }).map((v): Record<string, string> => (v === null ? {} : { [name]: v }));
  const contentType = withBody
    ? fc.oneof(
        { weight: 8, arbitrary: fc.constant("application/json") },
        {
          weight: 2,
          arbitrary: headerValue(
            fc.constantFrom(
              "application/json; charset=utf-8",
              "application/json; charset=utf-16",
              "application/json; charset=utf-8; charset=latin1",
              "APPLICATION/JSON",
              "application/jsonx",
              "text/plain",
              "application/x-www-form-urlencoded",
              "multipart/form-data; boundary=x",
              "application/merge-patch+json",
              "",
            ),
          ),
        },
      )
    : fc.constantFrom("", "application/json", "text/plain");
  return fc
    .tuple(
      optional(
        "origin",
        fc.oneof(
          fc.constant(ctx.origin),
          fc.constantFrom(
            "https://evil.example",
            "null",
            "http://localhost",
            ctx.origin.replace("localhost", "127.0.0.1"),
          ),
          headerValue(fc.constant("http://x")),
        ),
      ),
      contentType,
      optional("x-forwarded-for", headerValue(fc.constantFrom("203.0.113.7", "::1", "1.1.1.1, 2.2.2.2", "unknown"))),
      optional("x-real-ip", headerValue(fc.constantFrom("198.51.100.9", "::ffff:127.0.0.1", ""))),
      optional("accept", headerValue(fc.constantFrom("application/json", "text/html", "*/*", "text/x-component"))),
      optional("x-nonce", headerValue(fc.constantFrom(...nastyWords)), 8),
      optional("x-forwarded-host", headerValue(fc.constantFrom("evil.example", "localhost:1")), 8),
      optional("content-encoding", fc.constantFrom("gzip", "br", "identity", "gzip, identity"), 8),
    )
    .map(([origin, type, xff, xri, accept, nonce, host, coding]) => ({
      ...origin,
      ...(type ? { "content-type": type } : {}),
      ...xff,
      ...xri,
      ...accept,
      ...nonce,
      ...host,
      ...coding,
    }));
}

/** The Origin a browser sends with a form post (its own, mostly), or a foreign one, or none. */
export function formOrigin(ctx: FuzzContext): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant({ origin: ctx.origin }) },
    { weight: 1, arbitrary: fc.constant({}) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          "https://evil.example",
          "null",
          ctx.origin.replace("localhost", "127.0.0.1"),
          `${ctx.origin}.evil.example`,
        )
        .map((origin) => ({ origin })),
    },
  );
}

/** next-auth's other cookies (callback URL, CSRF token, the https session name), hostile now and then. */
const otherCookies: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<string[]>([]) },
  {
    weight: 1,
    arbitrary: fc.array(
      fc
        .tuple(
          fc.constantFrom(
            "next-auth.callback-url",
            "next-auth.csrf-token",
            "__Secure-next-auth.session-token",
            "__proto__",
          ),
          fc.oneof(
            fc.constantFrom("http%3A%2F%2Flocalhost%2Fonboarding", "%2F%2Fevil.example", "%F0%9F%98%80", "%", "a%0Ab"),
            hostileText.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, "?"))),
          ),
        )
        .map(([name, value]) => `${name}=${value}`),
      { minLength: 1, maxLength: 2 },
    ),
  },
);

export function requestHeaders(ctx: FuzzContext, withBody: boolean): fc.Arbitrary<Record<string, string>> {
  return fc.tuple(authHeaders(ctx), otherHeaders(ctx, withBody), otherCookies).map(([auth, other, cookies]) => {
    const headers: Record<string, string> = { ...other, ...auth };
    if (cookies.length) headers.cookie = asHeaderText([headers.cookie, ...cookies].filter(Boolean).join("; "));
    return headers;
  });
}

/** A JSON body as text, or now and then one that is not JSON, not UTF-8, or over 64 KB. */
export function requestBody(json: fc.Arbitrary<string>): fc.Arbitrary<string | Uint8Array | undefined> {
  return fc.oneof(
    { weight: 12, arbitrary: json },
    { weight: 1, arbitrary: fc.constantFrom(undefined, "", " ", "{", "{}}", "[", "nul", "\ufeff{}", "{'a':1}") },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
        Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
        `{"companyName":"${"x".repeat(70_000)}"}`,
        `[${"[".repeat(5000)}${"]".repeat(5000)}]`,
      ),
    },
  );
}
