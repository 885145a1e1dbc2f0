/**
 * What a customer or an operator may send to create an end-user. A customer names only the
 * company: sourceId and email always come from their session.
 */
import { z } from "zod";
import { sourceIdOf, type Actor } from "@/lib/model/actor";
import { COMPANY_NAME_MAX_LENGTH } from "@/lib/model/company-name";
import { asShown, MOST_MARKS_IN_A_ROW, stacksMarks } from "@/lib/model/shown-text";
import { emailSchema, text, withoutDirectionControls } from "@/lib/model/text";
import { AppError } from "@/lib/platform/errors/app-error";

// Anything but spaces, invisible format characters (zero-width space, joiners, soft hyphen…),
// marks that only change the character before them (accents, variation selectors), code points
// with no character (U+FFFF), private-use code points (each font draws its own glyph there, or
// none), and the letters and symbols drawn blank: Hangul fillers, the empty Braille pattern and
// the object replacement character.
const VISIBLE = /[^\p{Z}\p{Cf}\p{M}\p{Cn}\p{Co}\s\u115F\u1160\u3164\uFFA0\u2800\uFFFC]/u;

/** The name as a page shows it (asShown): names that look the same are then the same text, for search and for Conductor. */
export const companyNameSchema = text()
  .refine(withoutDirectionControls.check, withoutDirectionControls.params)
  // Said before trimming, which would leave only "empty" to say.
  .refine((value) => value.trim() === "" || VISIBLE.test(value), {
    message: "must not be only invisible or private-use characters",
    abort: true,
  })
  .refine((value) => !stacksMarks(value), {
    message: `must not stack more than ${MOST_MARKS_IN_A_ROW} accents or other marks on one character`,
    abort: true,
  })
  .transform(asShown)
  .pipe(
    z
      .string()
      .min(1, { message: "must not be empty", abort: true })
      .max(COMPANY_NAME_MAX_LENGTH, `must be at most ${COMPANY_NAME_MAX_LENGTH} characters`),
  )
  // What the pipe checks after trimming, stated for clients (a JSON Schema cannot trim).
  .meta({
    description:
      "The company's name: 1–255 characters once in Unicode's composed form (NFC), trimmed of invisible padding, without the characters that draw nothing (soft hyphens, zero-width spaces, word joiners, invisible math operators and the other format characters U+180E, U+2060–U+206F, byte-order marks, U+FFF0–U+FFFC, U+1BCA0–U+1BCA3, U+1D173–U+1D17A) or tag characters outside a flag emoji, and with each run of white space inside made one space; at least one of them visible; no control characters, line or paragraph separators, text-direction controls, or more than 30 marks in a row on one character",
    maxLength: COMPANY_NAME_MAX_LENGTH,
  });

export const sourceIdSchema = text()
  // Invisible format characters (zero-width space, joiners, text-direction controls…) would make
  // two sourceIds that look the same.
  .regex(/^[^\s\p{Cf}]+$/u, "must not be empty or contain spaces or invisible characters")
  // So would the two Unicode forms of one accented letter (é as one code point, or e and an accent).
  .refine((value) => value === value.normalize("NFC"), {
    message:
      "must be in Unicode's composed form (NFC): an accented letter as one character, not a letter and an accent",
  })
  .max(255, "must be at most 255 characters")
  // A Conductor end-user's id as a sourceId would be a second end-user that search finds by it.
  .refine((value) => !/^end_usr_/i.test(value), {
    message: "must be your system's id for the customer, not a Conductor end-user id (end_usr_…)",
  })
  .meta({
    description:
      "Your system's id for the customer: 1–255 characters, no spaces or invisible characters, in Unicode's composed form (NFC), not a Conductor end-user id (end_usr_…)",
  });

/** Every field optional here; who may send which is decided by `creationInputFor`. */
export const createEndUserRequestSchema = z
  .strictObject({
    companyName: companyNameSchema,
    email: emailSchema.optional(),
    sourceId: sourceIdSchema.optional(),
  })
  .meta({
    description:
      "A customer sends only companyName; an operator also sends email and sourceId. When sourceId is a signed-up customer's account id, email must be the one that customer signs in with.",
    examples: [{ companyName: "Acme Bookkeeping" }],
  });

export type CreateEndUserRequest = z.output<typeof createEndUserRequestSchema>;

/** What a customer may not send: it is their account's, whatever they send. */
const TAKEN_FROM_ACCOUNT = {
  sourceId: "is not yours to send: it is always your account id; leave it out",
  email: "is not yours to send: it is always the address you sign in with; leave it out",
};

export function creationInputFor(actor: Actor, request: CreateEndUserRequest) {
  if (actor.kind === "customer") {
    const fields: Record<string, string[]> = {};
    if (request.sourceId !== undefined) fields.sourceId = [TAKEN_FROM_ACCOUNT.sourceId];
    if (request.email !== undefined) fields.email = [TAKEN_FROM_ACCOUNT.email];
    if (Object.keys(fields).length) throw AppError.invalid(fields);
    return { sourceId: sourceIdOf(actor), email: actor.email, companyName: request.companyName };
  }
  if (actor.kind === "operator") {
    const fields: Record<string, string[]> = {};
    if (request.sourceId === undefined) fields.sourceId = ["is required"];
    if (request.email === undefined) fields.email = ["is required"];
    if (Object.keys(fields).length) throw AppError.invalid(fields);
    return { sourceId: request.sourceId!, email: request.email!, companyName: request.companyName };
  }
  throw new AppError("forbidden");
}
