/**
 * The one logger: a JSON object per line on stdout/stderr. Callers pass only what is safe to
 * keep; secrets are never handed to it.
 */
type Fields = Record<string, string | number | boolean | null | undefined | string[]>;

function write(level: "info" | "warn" | "error", event: string, fields: Fields) {
  const line = JSON.stringify({ level, event, ...fields, at: new Date().toISOString() });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** A thrown value's name, message and stack, for a log line (a thrown non-Error has no stack). */
export const causeOf = (error: unknown): { name: string; message: string; stack: string | undefined } =>
  error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { name: typeof error, message: String(error), stack: undefined };

export const log = {
  info: (event: string, fields: Fields = {}) => write("info", event, fields),
  warn: (event: string, fields: Fields = {}) => write("warn", event, fields),
  error: (event: string, fields: Fields = {}) => write("error", event, fields),
};
