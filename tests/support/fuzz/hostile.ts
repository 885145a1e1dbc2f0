/**
 * Hostile input as fast-check arbitraries: text with NUL and control characters, lone surrogates,
 * broken percent-encoding, full-width and other look-alikes, 10k-character strings; JSON whose
 * keys include `__proto__` and `constructor` at any depth and whose values are numbers, arrays or
 * null where text is expected; query strings and path segments made of all of it.
 */
import fc from "fast-check";

/** One UTF-16 unit or short sequence that has broken a parser, a database or a comparison somewhere. */
const nastyPieces = [
  "\u0000",
  "\u0001",
  "\u0007",
  "\b",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "\u000b",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u2028",
  "\u2029",
  "\u200b",
  "\u200d",
  "\u202e",
  "\ufeff",
  "\ufffd",
  "\uffff",
  "\ud800",
  "\udbff",
  "\udc00",
  "\udfff",
  "\ud83d",
  "😀",
  "𝒜",
  "👩‍👩‍👧",
  "e\u0301",
  "İ",
  "ß",
  "　",
  "＠",
  "．",
  "ｅｎｄ＿ｕｓｒ＿",
  "ＡＣＭＥ",
  "%",
  "%%",
  "%0",
  "%00",
  "%0A",
  "%0D",
  "%09",
  "%ff",
  "%FF%FE",
  "%c0%80",
  "%e0%a4%a",
  "%ed%a0%80",
  "%zz",
  "%2e%2e%2f",
  "%252e",
  "+",
  "&",
  "=",
  "?",
  "#",
  "/",
  "\\",
  "..",
  "'",
  '"',
  "`",
  "<",
  ">",
  "{",
  "}",
  "[",
  "]",
  ";",
  ",",
  "$",
  "*",
];

/** Whole words with a meaning to JavaScript, SQL, URLs, next-auth or this product. */
/** Letters and digits only: the valid part of ids and names. */
export const alnum = (min: number, max: number) =>
  fc.string({
    unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
    minLength: min,
    maxLength: max,
  });

export const nastyWords = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "__defineGetter__",
  "__lookupGetter__",
  "null",
  "undefined",
  "NaN",
  "Infinity",
  "-0",
  "1e309",
  "0x1f",
  "[]",
  "{}",
  "true",
  "end_usr_",
  "end_usr_0",
  "end_usr_ABC123xyz",
  "ｅｎｄ＿ｕｓｒ＿abc",
  "end_usr_abc%00",
  "ops@example.test",
  "ＯＰＳ＠ｅｘａｍｐｌｅ．ｔｅｓｔ",
  "ops@example.test,victim@example.test",
  '"ops"@example.test',
  "ops@example.test\u0000",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  '\'; DROP TABLE "User"; --',
  "$1",
  "\\u0000",
  "../../etc/passwd",
  "%s%n%x",
  "javascript:alert(1)",
  "//evil.example/x",
  "/\\evil.example/x",
  "/%09/evil.example/x",
  "https://evil.example/",
  "0000-01-01",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59+14:00",
  "2026-02-30",
  "-271821-04-20T00:00:00Z",
  "connected",
  "deleted",
  "only",
  "altur",
  "dify",
  "conductor",
  "system",
  "eyJ9",
  "eyJhdCI6IjAwMDAtMDEtMDFUMDA6MDA6MDBaIiwiaWQiOiJlbmRfdXNyX1x1MDAwMCJ9",
  "Bearer",
];

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...nastyPieces) },
  { weight: 2, arbitrary: fc.constantFrom(...nastyWords) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 8 }) },
);

/** Up to a few dozen hostile pieces, or one of them repeated past 10,000 characters. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.array(piece, { maxLength: 8 }).map((parts) => parts.join("")) },
  { weight: 3, arbitrary: fc.constantFrom(...nastyWords) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        piece.filter((text) => text.length > 0),
        fc.integer({ min: 10_000, max: 12_000 }),
      )
      .map(([text, length]) => text.repeat(Math.ceil(length / text.length)).slice(0, length)),
  },
);

/** Text a value is expected to look like, with hostile text around or inside it now and then. */
export function around(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom("", ...nastyPieces), valid, fc.constantFrom("", ...nastyPieces))
        .map(([a, b, c]) => a + b + c),
    },
    { weight: 3, arbitrary: hostileText },
  );
}

/**
 * JSON as text, built by hand so that a key such as `__proto__` stays an own key, keys may repeat,
 * and lone surrogates reach the server as `\ud800` escapes.
 */
export type JsonText = string;

const scalarJson: fc.Arbitrary<JsonText> = fc.oneof(
  { weight: 5, arbitrary: hostileText.map((text) => JSON.stringify(text)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("null", "true", "false", "0", "-0", "1e309", "-1", "1.5", "9007199254740993", "1e-400"),
  },
  { weight: 1, arbitrary: fc.double().map((n) => (Number.isFinite(n) ? JSON.stringify(n) : "1e999")) },
);

const jsonKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...nastyWords.slice(0, 9)) },
  { weight: 2, arbitrary: hostileText },
);

/** Any JSON value, `__proto__` and friends as keys at any depth. */
export const hostileJson: fc.Arbitrary<JsonText> = fc.letrec<{ value: JsonText }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalarJson,
    fc.array(tie("value"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
    fc
      .array(fc.tuple(jsonKey, tie("value")), { maxLength: 4 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
  ),
})).value;

/**
 * A JSON object with the fields a route expects (`fields`: name → valid-looking text), each present
 * or not, each value valid-looking, hostile text, or any JSON, plus hostile extra keys now and then.
 */
export function objectWith(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<JsonText> {
  const entries = Object.entries(fields).map(([name, valid]) =>
    fc
      .option(
        fc.oneof(
          { weight: 4, arbitrary: around(valid).map((text) => JSON.stringify(text)) },
          { weight: 1, arbitrary: hostileJson },
        ),
        { freq: 4 },
      )
      .map((value) => (value === null ? null : `${JSON.stringify(name)}:${value}`)),
  );
  const extra = fc.array(fc.tuple(jsonKey, hostileJson), { maxLength: 2 });
  return fc
    .tuple(fc.tuple(...entries), fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: extra }))
    .map(([known, extras]) => {
      const parts = [
        ...known.filter((part): part is string => part !== null),
        ...extras.map(([k, v]) => `${JSON.stringify(k)}:${v}`),
      ];
      return `{${parts.join(",")}}`;
    });
}

/** A percent-encoded path segment: usually what a client would send, sometimes raw broken escapes. */
export function pathSegment(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: around(valid).map((text) => encodeURIComponent(toWellFormed(text))) },
    { weight: 1, arbitrary: fc.constantFrom("%", "%ff", "%c0%80", "%ed%a0%80", "%zz", "%00", "a%", "%2F", "..", ".") },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom("%", "%ff", "%c0%80", "%E0%A4%A", "%00", "%0A"))
        .map(([text, broken]) => encodeURIComponent(text) + broken),
    },
  );
}

/** `encodeURIComponent` throws on lone surrogates; the escape a sloppy client would send instead. */
function toWellFormed(text: string): string {
  return text.replace(/[\ud800-\udfff]/g, (unit, offset: number, whole: string) => {
    const code = unit.charCodeAt(0);
    const next = whole.charCodeAt(offset + 1);
    const prev = whole.charCodeAt(offset - 1);
    const paired =
      (code < 0xdc00 && next >= 0xdc00 && next <= 0xdfff) || (code >= 0xdc00 && prev >= 0xd800 && prev < 0xdc00);
    return paired ? unit : "\ufffd";
  });
}

/** Query-string text: each known key with valid-looking or hostile values, repeated keys, unknown keys, raw broken escapes. */
export function queryString(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const known = Object.entries(fields).map(([name, valid]) =>
    fc
      .option(fc.array(around(valid), { minLength: 1, maxLength: 2 }), { freq: 3 })
      .map((values) => (values ?? []).map((value) => [name, value] as const)),
  );
  const unknown = fc.array(fc.tuple(jsonKey, hostileText), { maxLength: 2 });
  const raw = fc.option(fc.constantFrom("%", "x=%ff", "%zz=1", "q=%c0%80", "=", "&&", "a=%00", "x=%ed%a0%80"), {
    freq: 6,
  });
  return fc
    .tuple(
      fc.tuple(...known),
      fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: unknown }),
      raw,
    )
    .map(([pairs, extra, broken]) => {
      const encoded = [...pairs.flat(), ...extra].map(
        ([name, value]) => `${encodeURIComponent(toWellFormed(name))}=${encodeURIComponent(toWellFormed(value))}`,
      );
      if (broken) encoded.push(broken);
      return encoded.length ? `?${encoded.join("&")}` : "";
    });
}

/** Header text a fetch can carry (no CR, LF or NUL; Latin-1 only), valid-looking or hostile. */
export function headerValue(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return around(valid).map(asHeaderText);
}

/** Text as a header can carry it (tab, printable Latin-1): anything else replaced, at most 8,000 characters. */
export function asHeaderText(text: string): string {
  return [...text]
    .map((c) => (c.charCodeAt(0) > 0xff || /[\x00-\x08\x0a-\x1f\x7f]/.test(c) ? "?" : c))
    .join("")
    .slice(0, 8000);
}

export { toWellFormed };
