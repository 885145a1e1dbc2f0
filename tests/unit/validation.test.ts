import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/platform/errors/app-error";
import {
  fieldsFromZodError,
  MOST_FIELDS_NAMED,
  NAME_ECHOED_LENGTH,
  parseOrThrow,
} from "@/lib/platform/errors/validation";
import { linkedProviderSchema } from "@/lib/model/providers";
import { thrown } from "../support/thrown";

const PROTOTYPE_KEYS = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "__defineGetter__"];
const schema = z.strictObject({ name: z.string() });

describe("field errors", () => {
  it.each(PROTOTYPE_KEYS)("names an unknown field called %s like any other, as its own entry", (key) => {
    const input = JSON.parse(`{"name":"a",${JSON.stringify(key)}:1}`);
    const fields = fieldsFromZodError(schema.safeParse(input).error!);
    expect(Object.keys(fields)).toEqual([key]);
    expect(Object.getOwnPropertyDescriptor(fields, key)?.value).toEqual(["is not a known field"]);
  });

  it("names at most MOST_FIELDS_NAMED fields of 4,000 unknown ones and counts the rest, so the answer stays smaller than the request", () => {
    const input = Object.fromEntries([["name", "a"], ...Array.from({ length: 4000 }, (_, i) => [`k${i}`, i])]);
    const error = thrown(() => parseOrThrow(schema, input, "body")) as AppError;
    const fields = error.details.fields!;
    expect(Object.keys(fields)).toHaveLength(MOST_FIELDS_NAMED + 1);
    expect(fields.k0).toEqual(["is not a known field"]);
    expect(fields.body).toEqual([`has ${4000 - MOST_FIELDS_NAMED} more fields that are not known or not valid`]);
    const answer = JSON.stringify(error.toBody());
    expect(answer.length).toBeLessThan(2_000);
    expect(answer.length).toBeLessThan(JSON.stringify(input).length / 10);
  });

  it("counts 500 unknown names that share their first NAME_ECHOED_LENGTH characters as more fields, not as 500 messages on one", () => {
    const shared = "x".repeat(NAME_ECHOED_LENGTH);
    const input = Object.fromEntries([["name", "a"], ...Array.from({ length: 500 }, (_, i) => [`${shared}${i}`, i])]);
    const error = thrown(() => parseOrThrow(schema, input, "body")) as AppError;
    expect(error.details.fields).toEqual({
      [`${shared}…`]: ["is not a known field"],
      body: ["has 499 more fields that are not known or not valid"],
    });
    expect(JSON.stringify(error.toBody()).length).toBeLessThan(1_000);
  });

  it("echoes only the first NAME_ECHOED_LENGTH characters of a long field name, never splitting one", () => {
    const long = "😀".repeat(5000);
    const error = thrown(() => parseOrThrow(schema, { name: "a", [long]: 1 })) as AppError;
    const [name] = Object.keys(error.details.fields!);
    expect(name).toBe(`${"😀".repeat(NAME_ECHOED_LENGTH)}…`);
    expect(error.message.length).toBeLessThan(300);
  });

  it("turns them into a 400 naming the field", () => {
    const error = thrown(() => parseOrThrow(schema, JSON.parse('{"name":"a","__proto__":{"name":"b"}}')));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, message: "Invalid request: __proto__." });
  });

  it.each([[[]], [null], ["text"], [3]])(
    "tells a body that is %j, not an object, that it must be a JSON object",
    (input) => {
      const error = thrown(() => parseOrThrow(schema, input, "body"));
      expect(error).toMatchObject({
        status: 400,
        message: "The body must be a JSON object.",
        details: { fields: { body: ["must be a JSON object"] } },
      });
    },
  );

  it("words an unknown field with no name so that the message still says what is wrong", () => {
    const error = thrown(() => parseOrThrow(schema, { name: "a", "": "" }, "query"));
    expect(error).toMatchObject({
      message: "Invalid query: a field with no name.",
      details: { fields: { "": ["is not a known field"] } },
    });
  });
});

describe("a choice of provider", () => {
  it("tells an unknown provider which ones there are, from the list of providers itself", () => {
    const error = thrown(() => parseOrThrow(z.object({ provider: linkedProviderSchema }), { provider: "zoho" }));
    expect((error as AppError).details.fields).toEqual({ provider: ['must be "altur" or "dify"'] });
  });
});
