import { describe, expect, it } from "vitest";
import { companyNameSchema, createEndUserRequestSchema, creationInputFor } from "@/lib/use-cases/onboarding/input";
import { AppError } from "@/lib/platform/errors/app-error";
import { thrown } from "../support/thrown";

const customer = { kind: "customer" as const, id: "user_1", email: "c@example.com" };
const operator = { kind: "operator" as const, id: "op_1", email: "ops@example.com" };

describe("company name", () => {
  it.each([
    ["", "must not be empty"],
    ["    ", "must not be empty"],
    ["a".repeat(256), "at most 255"],
    ["Acme\nInc", "control characters"],
    ["Acme\u0000", "control characters"],
    ["\tAcme", "control characters"],
    ["\u200b", "only invisible or private-use characters"],
    ["\u2060\u200d", "only invisible or private-use characters"],
    ["\u00ad \u00a0", "only invisible or private-use characters"],
    ["\u3164\u3164", "only invisible or private-use characters"],
    ["\uffa0", "only invisible or private-use characters"],
    ["\u115f\u1160", "only invisible or private-use characters"],
    ["\u2800 \u2800", "only invisible or private-use characters"],
    ["\ufffc", "only invisible or private-use characters"],
    ["\ufff9\u206f\u{1d173}", "only invisible or private-use characters"],
    ["\u0301", "only invisible or private-use characters"],
    ["\ufe0f", "only invisible or private-use characters"],
    ["\u17b4", "only invisible or private-use characters"],
    ["\ue000", "only invisible or private-use characters"],
    [" \uf8ff \u{f0000} ", "only invisible or private-use characters"],
    ["\uffff", "noncharacters"],
    ["Acme\ufffe", "noncharacters"],
    ["\u202eAcme", "text-direction controls"],
    ["Acme \u2066Inc\u2069", "text-direction controls"],
    ["Acme\u200Fx", "text-direction controls"],
    ["Acme\u200E", "text-direction controls"],
    ["\u061CAcme", "text-direction controls"],
    ["Acme\u2028Evil Line", "control characters"],
    ["Acme\u2029Para", "control characters"],
    [`Z${"\u0336".repeat(31)}algo`, "must not stack more than 30 accents or other marks on one character"],
  ])("rejects %j", (input, message) => {
    const result = companyNameSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });

  it.each([42, null, ["Acme"], { name: "Acme" }])("rejects a non-string (%j)", (input) => {
    expect(companyNameSchema.safeParse(input).success).toBe(false);
  });

  it("trims surrounding spaces and keeps 255 characters and non-ASCII names", () => {
    expect(companyNameSchema.parse("  Acme Inc.  ")).toBe("Acme Inc.");
    expect(companyNameSchema.parse("b".repeat(255))).toHaveLength(255);
    expect(companyNameSchema.parse("Société Générale 株式会社")).toBe("Société Générale 株式会社");
    // Joiners and marks inside visible text are part of how some names are written.
    expect(companyNameSchema.parse("Family \u{1F468}\u200d\u{1F469}")).toBe("Family \u{1F468}\u200d\u{1F469}");
    expect(companyNameSchema.parse("שלום Ltd")).toBe("שלום Ltd");
    expect(companyNameSchema.parse("😀".repeat(255))).toBe("😀".repeat(255));
    // Marks and fillers inside visible text stay, in Unicode's composed form.
    expect(companyNameSchema.parse("Caf\u00e9 \u2764\ufe0f")).toBe("Caf\u00e9 \u2764\ufe0f");
    expect(companyNameSchema.parse("\u1100\u1161\u3164Co")).toBe("\uac00\u3164Co");
    // A private-use glyph beside visible text is the writer's choice.
    expect(companyNameSchema.parse("Acme \uf8ff")).toBe("Acme \uf8ff");
  });

  it("takes a name typed in Unicode's decomposed form as the composed one, and counts its length so", () => {
    expect(companyNameSchema.parse("Cafe\u0301 Ltd")).toBe("Caf\u00e9 Ltd");
    // 130 letters a page shows, typed as a letter and an accent each: 260 code points before.
    expect(companyNameSchema.parse("e\u0301".repeat(130))).toBe("\u00e9".repeat(130));
    const overLong = companyNameSchema.safeParse("e\u0301".repeat(256));
    expect(overLong.error?.issues[0]?.message).toBe("must be at most 255 characters");
  });

  it("drops zero-width spaces, word joiners, byte-order marks, soft hyphens, invisible math operators and every other character Unicode says to ignore, but the joiners, inside a name", () => {
    expect(companyNameSchema.parse("Acme\u200bCorp")).toBe("AcmeCorp");
    expect(companyNameSchema.parse("Acme\u2060\ufeffCorp \u00adLtd")).toBe("AcmeCorp Ltd");
    expect(companyNameSchema.parse("Acme \u200b Corp")).toBe("Acme Corp");
    // Mathematics' invisible operators (U+2061–U+2064) draw nothing either.
    expect(companyNameSchema.parse("Acme\u2062Corp \u2061\u2063\u2064Ltd")).toBe("AcmeCorp Ltd");
    // So do the other format characters that Unicode says to ignore, wherever they stand, and the
    // interlinear annotation and object replacement characters, which mean nothing outside markup.
    expect(companyNameSchema.parse("Ac\u206Fme Be\u180Eta\uFFFAWorks")).toBe("Acme BetaWorks");
    expect(companyNameSchema.parse("\u{1D173}Music\u{1D17A} \u{1BCA0}Co\uFFFC")).toBe("Music Co");
    // Joiners change how letters are drawn (Persian, emoji sequences): they stay.
    expect(companyNameSchema.parse("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")).toBe(
      "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    );
  });

  it("drops invisible padding and keeps the name as a page shows it: one space between words", () => {
    expect(companyNameSchema.parse("\ufeff\u200b  Acme \u00a0\u3000 Co\u200b\u200d ")).toBe("Acme Co");
    expect(companyNameSchema.parse("\u00adCafé  Two\u2060")).toBe("Café Two");
    // A flag ends in tag characters, which are format characters too: it stays whole.
    const scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
    expect(companyNameSchema.parse(`Highland Books ${scotland}`)).toBe(`Highland Books ${scotland}`);
  });

  it("drops tag characters outside a flag emoji, which draw nothing, and keeps a flag's whole", () => {
    const scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
    expect(companyNameSchema.parse("\u{E0041}Tag")).toBe("Tag");
    expect(companyNameSchema.parse("Acme\u{E0020}\u{E007F} Co")).toBe("Acme Co");
    expect(companyNameSchema.parse(`\u{E0041}Highland ${scotland}\u{E0062}`)).toBe(`Highland ${scotland}`);
    // A black flag alone, or with tags it never ends, is no tag sequence: the flag stays, the tags go.
    expect(companyNameSchema.parse("Pirate \u{1F3F4}\u{E0067}\u{E0062}")).toBe("Pirate \u{1F3F4}");
  });

  it("keeps up to 30 marks on one character, as Unicode's stream-safe text allows", () => {
    const marked = `Z${"\u0336".repeat(30)}algo`;
    expect(companyNameSchema.parse(marked)).toBe(marked.normalize("NFC"));
  });
});

describe("who may send what", () => {
  it("rejects unknown fields by name", () => {
    const result = createEndUserRequestSchema.safeParse({ companyName: "Acme", plan: "pro" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["plan"] });
  });

  it("takes a customer's sourceId and email from the session", () => {
    expect(creationInputFor(customer, { companyName: "Acme" })).toEqual({
      sourceId: "user_1",
      email: "c@example.com",
      companyName: "Acme",
    });
  });

  it("refuses a customer who names a sourceId, even someone else's", () => {
    const error = thrown(() => creationInputFor(customer, { companyName: "Acme", sourceId: "user_2" }));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, details: { fields: { sourceId: expect.anything() } } });
  });

  it("refuses an operator's sourceId shaped like a Conductor end-user id, in any case", () => {
    for (const sourceId of ["end_usr_2nk5e0z7k090o8bq", "END_USR_x"]) {
      const result = createEndUserRequestSchema.safeParse({ companyName: "Mia Co", email: "m@example.com", sourceId });
      expect(result.error?.issues[0]).toMatchObject({
        path: ["sourceId"],
        message: "must be your system's id for the customer, not a Conductor end-user id (end_usr_…)",
      });
    }
    expect(createEndUserRequestSchema.parse({ companyName: "Mia Co", sourceId: "crm-end_usr_1" }).sourceId).toBe(
      "crm-end_usr_1",
    );
  });

  it("refuses a sourceId in Unicode's decomposed form, which would be a second id looking like the composed one", () => {
    const decomposed = createEndUserRequestSchema.safeParse({ companyName: "Acme", sourceId: "jose\u0301" });
    expect(decomposed.error?.issues[0]).toMatchObject({ path: ["sourceId"], message: expect.stringContaining("NFC") });
    expect(createEndUserRequestSchema.parse({ companyName: "Acme", sourceId: "jos\u00e9" }).sourceId).toBe("jos\u00e9");
  });

  it("requires an operator to name sourceId and email", () => {
    expect(() => creationInputFor(operator, { companyName: "Acme" })).toThrow(AppError);
    expect(creationInputFor(operator, { companyName: "Acme", sourceId: "s1", email: "x@y.z" })).toEqual({
      sourceId: "s1",
      email: "x@y.z",
      companyName: "Acme",
    });
  });
});
