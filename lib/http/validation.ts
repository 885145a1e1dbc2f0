import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";

/** Field name → messages, from a zod error; unknown keys are named individually. */
export function fieldsFromZodError(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  const add = (name: string, message: string) => (fields[name] ??= []).push(message);
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add([...issue.path, key].join("."), "is not a known field");
    } else {
      add(issue.path.join(".") || "body", issue.message);
    }
  }
  return fields;
}

/** Parses or throws a 400 that names every offending field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what = "request"): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldsFromZodError(result.error);
  throw AppError.invalid(fields, `Invalid ${what}: ${Object.keys(fields).join(", ")}.`);
}
