/**
 * The one string schema every text input starts from: a search, a filter, an id, a cursor, a
 * company name or an email. It refuses what no person types and what would not reach Postgres or
 * Conductor as it was sent: control characters (NUL included, which Postgres cannot store), text
 * that is not well-formed UTF-16 (a lone surrogate has no UTF-8 form), Unicode's noncharacters
 * (U+FFFF and its kind, never meant to be exchanged), and U+FFFD, the character
 * a decoder puts where bytes were not UTF-8: taken as text, two different inputs would become
 * the same value.
 */
import { z } from "zod";
import { ASCII_ONLY, EMAIL_MAX_LENGTH, EMAIL_PATTERN, MAIL_LIMITS } from "./email-address";

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const UNSTORABLE = new RegExp(`\\u0000|${LONE_SURROGATE.source}`, "g");

/**
 * Text another system sent, as Postgres can store it: NUL (which text and jsonb cannot hold) and
 * lone surrogates (which have no UTF-8 form) become U+FFFD. Inputs refuse both; an upstream
 * answer is not ours to refuse, and one such name must not stop a whole refresh.
 */
export const storableText = () => z.string().transform((value) => value.replace(UNSTORABLE, "\uFFFD"));

const CONTROL_MESSAGE = "must not contain control characters (tabs, line breaks…)";

/** Code points Unicode sets aside never to be characters: U+FDD0–U+FDEF and the last two of each plane. */
const NONCHARACTER = new RegExp(
  `[\\uFDD0-\\uFDEF${Array.from({ length: 17 }, (_, plane) => `\\u{${plane.toString(16)}FFFE}\\u{${plane.toString(16)}FFFF}`).join("")}]`,
  "u",
);

/** Said of a query parameter, form field or JSON key that arrives more than once. */
export const GIVEN_TWICE = "must be given once";

/** Text from a query string, where a parameter given twice arrives as an array. */
export const queryText = () => text(GIVEN_TWICE);

/**
 * Text as inputs take it; `typeError` is the message for anything else but nothing (a query
 * parameter given twice is an array), which is told it is required.
 */
export const text = (typeError = "must be text") =>
  z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : typeError) })
    // Line and paragraph separators (U+2028, U+2029) break lines as a newline does.
    .refine((value) => !/[\p{Cc}\p{Zl}\p{Zp}]/u.test(value), { message: CONTROL_MESSAGE, abort: true })
    .refine((value) => !value.includes("\uFFFD") && !LONE_SURROGATE.test(value), {
      message: "must be valid UTF-8 text",
      abort: true,
    })
    .refine((value) => !NONCHARACTER.test(value), {
      message: "must not contain Unicode noncharacters (such as U+FFFF)",
      abort: true,
    });

// Unicode's bidirectional controls: embeddings, overrides and isolates reorder how the rest of a
// line is shown, and the marks (LRM, RLM, ALM) make text that looks alike but differs.
const DIRECTION_CONTROL = /\p{Bidi_Control}/u;

/** For text a page shows back: refuses what would reorder the rest of its line. */
export const withoutDirectionControls = {
  check: (value: string) => !DIRECTION_CONTROL.test(value),
  params: { message: "must not contain text-direction controls", abort: true },
} as const;

/** An email address, lower-cased (as sign-in stores it). */
export const emailSchema = text()
  .max(EMAIL_MAX_LENGTH, `must be at most ${EMAIL_MAX_LENGTH} characters`)
  .pipe(
    z
      .string()
      .regex(ASCII_ONLY, "must be written with a–z, 0–9 and . _ ' + - only: letters like é or ü cannot be sent to yet")
      .pipe(
        z
          .email({ pattern: EMAIL_PATTERN, error: "must be an email address, like you@company.com", abort: true })
          .regex(
            MAIL_LIMITS,
            "must be an email address a mail server takes: at most 64 characters before the @, and each part of the domain at most 63, starting and ending with a letter or digit",
          ),
      ),
  )
  .transform((value) => value.toLowerCase());

/**
 * The error of a choice read from a query string: a parameter given twice arrives as an array, and
 * is told so rather than that it is not one of the choices.
 */
export const choiceError =
  (message: string) =>
  (issue: { input?: unknown }): string =>
    Array.isArray(issue.input) ? GIVEN_TWICE : message;
