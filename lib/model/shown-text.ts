/**
 * Text as a page shows it: what a person sees is what is stored and searched, so two names that
 * look the same are the same text.
 */

// What may pad a name unseen: white space of every kind, and zero-width spaces, joiners, word
// joiners and soft hyphens (not every format character: a flag emoji ends in tag characters).
const PADDING = String.raw`[\s\u00AD\u180E\u200B-\u200D\u2060]+`;
const EDGES = new RegExp(`^${PADDING}|${PADDING}$`, "gu");
// Invisible anywhere and meaning nothing in a name: Unicode's default-ignorable code points but
// those that change how text is drawn (the joiners ZWJ and ZWNJ, which shape emoji and Persian or
// Indic letters; variation selectors; Hangul fillers) and the tags a flag ends in. That is soft
// hyphens, the Mongolian vowel separator, zero-width spaces, word joiners, mathematics' invisible
// operators, the deprecated format characters (U+206A–U+206F), byte-order marks, unassigned
// specials (U+FFF0–U+FFF8), shorthand and musical format controls; and, meaning nothing outside a
// document's markup, the interlinear annotation characters and the object replacement character.
// (The direction isolates, U+2066–U+2069, are in the range too: a name is refused for them before
// it is tidied, a search's text is tidied of them.) search_fold leaves out the same set (migration
// 20261207170000_search_folds_default_ignorables).
const DRAWN_BLANK = /[\u00AD\u180E\u200B\u2060-\u206F\uFEFF\uFFF0-\uFFFC\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}]/gu;
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
