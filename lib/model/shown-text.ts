/**
 * Text as a page shows it: what a person sees is what is stored and searched, so two names that
 * look the same are the same text.
 */

// What may pad a name unseen: white space of every kind, and zero-width spaces, joiners, word
// joiners and soft hyphens (not every format character: a flag emoji ends in tag characters).
const PADDING = String.raw`[\s\u00AD\u180E\u200B-\u200D\u2060]+`;
const EDGES = new RegExp(`^${PADDING}|${PADDING}$`, "gu");
// Invisible anywhere and meaning nothing but where a line may break (or not): zero-width spaces,
// word joiners, byte-order marks, soft hyphens; and the invisible operators of mathematics
// (function application, times, separator, plus), which mean something only in a formula. Unlike
// the joiners (ZWJ, ZWNJ), which change how emoji and Persian or Indic letters are drawn, they
// leave the name looking the same without them.
const DRAWN_BLANK = /[\u00AD\u200B\u2060-\u2064\uFEFF]/gu;
// Tag characters draw nothing, and mean something only in an emoji flag's tag sequence (a black
// flag, tags, then the cancel tag): anywhere else they are dropped, the flags kept.
const TAGS = /(\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F})|[\u{E0000}-\u{E007F}]/gu;

/**
 * Without marks that draw nothing or stray tag characters, trimmed of invisible padding, each run of white
 * space inside one space.
 */
export const tidied = (value: string) =>
  value
    .replace(DRAWN_BLANK, "")
    .replace(TAGS, (_tag, flag?: string) => flag ?? "")
    .replace(EDGES, "")
    .replace(/\s+/gu, " ");

/** Tidied, in Unicode's composed form (an accented letter as one character, however it was typed). */
export const asShown = (value: string) => tidied(value.normalize("NFC"));

/**
 * More than this many combining marks in a row is no writing system's: Unicode's stream-safe
 * format (UAX #15) allows no more than 30 after a character.
 */
export const MOST_MARKS_IN_A_ROW = 30;
const STACKED_MARKS = new RegExp(`\\p{M}{${MOST_MARKS_IN_A_ROW + 1}}`, "u");

export const stacksMarks = (value: string) => STACKED_MARKS.test(value);
