/**
 * CSV as RFC 4180 writes it (CRLF lines, fields quoted when they hold a quote, comma or line
 * break), with spreadsheet formula injection defused: a cell that starts with = + - @ (or a tab or
 * carriage return) is prefixed with an apostrophe, so a spreadsheet shows it as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: (string | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
