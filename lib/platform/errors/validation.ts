import { z } from "zod";
import { AppError } from "./app-error";

/** What an issue about the input as a whole is filed under. */
const ROOT = "body";

/**
 * How many fields a refusal names, and how much of each name it echoes: an answer must not grow
 * with the request (thousands of unknown keys, or one key of thousands of characters).
 */
export const MOST_FIELDS_NAMED = 20;
export const NAME_ECHOED_LENGTH = 100;

const echoed = (name: string) => {
  const characters = Array.from(name);
  return characters.length > NAME_ECHOED_LENGTH ? `${characters.slice(0, NAME_ECHOED_LENGTH).join("")}…` : name;
};

/**
 * Field name → messages, for a refusal: up to MOST_FIELDS_NAMED fields, each message once a field,
 * then the body says how many more (names cut to the same first characters are more fields, not
 * more messages). Built in a Map: a field may be called `__proto__` or `toString`, which a plain
 * object would mistake for its own.
 */
export function fieldErrors(issues: Iterable<readonly [name: string, message: string]>): Record<string, string[]> {
  const fields = new Map<string, string[]>();
  let unnamed = 0;
  const add = (name: string, message: string) => {
    const key = echoed(name);
    const said = fields.get(key);
    if (said?.includes(message) || (!said && fields.size >= MOST_FIELDS_NAMED && key !== ROOT)) unnamed++;
    else fields.set(key, [...(said ?? []), message]);
  };
  for (const [name, message] of issues) add(name, message);
  if (unnamed) add(ROOT, `has ${unnamed} more field${unnamed === 1 ? "" : "s"} that are not known or not valid`);
  return Object.fromEntries(fields);
}

/** Field name → messages, from a zod error; unknown keys are named individually (see fieldErrors). */
export function fieldsFromZodError(error: z.ZodError): Record<string, string[]> {
  return fieldErrors(
    error.issues.flatMap((issue): [string, string][] => {
      if (issue.code === "unrecognized_keys")
        return issue.keys.map((key) => [[...issue.path, key].join("."), "is not a known field"]);
      if (!issue.path.length && issue.code === "invalid_type" && issue.expected === "object")
        return [[ROOT, "must be a JSON object"]];
      return [[issue.path.join(".") || ROOT, issue.message]];
    }),
  );
}

/** Parses or throws a 400 that names every offending field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what = "request"): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldsFromZodError(result.error);
  const names = Object.keys(fields).map((name) => (name === "" ? "a field with no name" : name));
  const whole = what === ROOT && names.length === 1 && names[0] === ROOT;
  throw AppError.invalid(
    fields,
    whole ? `The body ${fields[ROOT]!.join("; ")}.` : `Invalid ${what}: ${names.join(", ")}.`,
  );
}
