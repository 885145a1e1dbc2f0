/**
 * Whether a server-action post has the shape React's client gives every form action of this app:
 * a well-formed action id, and an argument list that is JSON whose only `$`-strings are escaped
 * text, `$undefined`, a reference to the posted form, or a value kept in the browser (`$T`).
 * React decodes anything else on trust, and a forged reference or malformed JSON makes Next.js
 * answer a bare 500 before any code of ours runs.
 */
import busboy from "next/dist/compiled/busboy";

/** Next.js 16's action ids: two hex digits of flags, then the 40 of a SHA-1. */
const ACTION_ID = /^[0-9a-f]{42}$/;
/**
 * What React's reply encoding may put in a string of ours: `$$…` (a `$` escaped), `$undefined`,
 * `$K<n>` (a form), and `$T`: a value the server cannot have back, such as the next step an
 * onboarding form's state holds when a second submit sends that state along. Next.js decodes `$T`
 * as an opaque stand-in (its temporary references), wherever it is put.
 */
const ALLOWED_REFERENCE = /^\$(\$|undefined$|K\d{1,6}$|T$)/;
/** Form fields React writes: the argument list `0`, and each outlined form's entries `_<n>_<name>`. */
const FIELD = /^(0$|_\d{1,6}_)/;

/**
 * A bound action's arguments in a form posted before React loaded: no form reference, and no `$T`,
 * which Next.js decodes there without a set of temporary references to put it in.
 */
const ALLOWED_WITHOUT_FORM = /^\$(\$|undefined$)/;
/**
 * A text/plain post carries no form either, but `$T` decodes there as in a multipart one: the
 * onboarding form posts its fields as text, and a second queued submit sends the state holding
 * the next step along.
 */
const ALLOWED_IN_TEXT = /^\$(\$|undefined$|T$)/;

/**
 * Whether every string in `value` is plain text or an allowed reference. An object with a
 * `__proto__` key (JSON.parse makes it an own key) is refused: React drops it while decoding, so
 * the action would run as if it had not been sent, where the API refuses it as an unknown field.
 */
function referencesAllowed(value: unknown, allowed: RegExp): boolean {
  if (typeof value === "string") return !value.startsWith("$") || allowed.test(value);
  if (Array.isArray(value)) return value.every((item) => referencesAllowed(item, allowed));
  if (value && typeof value === "object")
    return !Object.hasOwn(value, "__proto__") && Object.values(value).every((item) => referencesAllowed(item, allowed));
  return true;
}

/** Next.js fails an action called with more arguments (its `SERVER_ACTION_ARGS_LIMIT`) with a bare 500. */
export const ACTION_ARGUMENTS_LIMIT = 1000;

function argumentsReadable(text: string, allowed: RegExp): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.length <= ACTION_ARGUMENTS_LIMIT && referencesAllowed(parsed, allowed);
  } catch {
    return false;
  }
}

/** Next.js fails a server action whose body is larger (its default `serverActions.bodySizeLimit`) with a bare 500. */
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

/** Why a post cannot be run, worded for the error envelope: too large (413), or not a form of ours (400). */
export type ActionDefect = { status: 413 | 400; defect: string };

const TOO_LARGE: ActionDefect = { status: 413, defect: "is larger than 1 MB" };
const unreadable = (defect: string): ActionDefect => ({ status: 400, defect });

/** The post's body, at most Next.js's limit: the bytes, or why they cannot be taken. */
async function bodyOf(request: Request): Promise<ArrayBuffer | ActionDefect> {
  if (Number(request.headers.get("content-length")) > ACTION_BODY_LIMIT_BYTES) return TOO_LARGE;
  const body = await request
    .clone()
    .arrayBuffer()
    .catch(() => null);
  if (!body) return unreadable("is not a readable form");
  return body.byteLength > ACTION_BODY_LIMIT_BYTES ? TOO_LARGE : body;
}

const formOf = (body: ArrayBuffer, type: string) =>
  new Response(body, { headers: { "content-type": type } }).formData().catch(() => null);

/**
 * A multipart body's fields as Next.js reads a fetch action's: with the busboy it compiles in and
 * its options, so that both read the same fields whatever the body's quirks (a part with two
 * names, a charset). Null when it cannot be read, or holds a file (no form of this site sends one).
 */
function multipartFields(body: ArrayBuffer, contentType: string): Promise<[string, string][] | null> {
  return new Promise((resolve) => {
    let parser: ReturnType<typeof busboy>;
    try {
      parser = busboy({
        defParamCharset: "utf8",
        headers: { "content-type": contentType },
        limits: { fieldSize: ACTION_BODY_LIMIT_BYTES },
      });
    } catch {
      return resolve(null);
    }
    const fields: [string, string][] = [];
    let file = false;
    parser.on("field", (name, value) => fields.push([name, value]));
    parser.on("file", (_name, stream) => {
      file = true;
      stream.resume();
    });
    parser.on("error", () => resolve(null));
    parser.on("close", () => resolve(file ? null : fields));
    parser.end(Buffer.from(body));
  });
}

/**
 * Whether Next.js refuses a fetch action itself, before decoding it: one typed exactly
 * application/x-www-form-urlencoded, which it answers with its not-found page (a document).
 */
export const refusedByNextJs = (request: Request): boolean =>
  request.headers.get("content-type") === "application/x-www-form-urlencoded";

/**
 * The post's defect; null when React can decode it. Its body is classified as Next.js classifies
 * a fetch action's: multipart only for a type starting `multipart/form-data` as written, Next.js's
 * own refusal for exactly `application/x-www-form-urlencoded`, and the argument list as text for
 * anything else.
 */
export async function actionRequestDefect(request: Request): Promise<ActionDefect | null> {
  const id = request.headers.get("next-action") ?? "";
  if (!ACTION_ID.test(id)) return unreadable("names no server action");
  if (refusedByNextJs(request)) return null;
  const type = request.headers.get("content-type") ?? "";
  const body = await bodyOf(request);
  if (!(body instanceof ArrayBuffer)) return body;
  if (!type.startsWith("multipart/form-data")) {
    return argumentsReadable(new TextDecoder().decode(body), ALLOWED_IN_TEXT)
      ? null
      : unreadable("holds arguments that cannot be read");
  }
  const fields = await multipartFields(body, type);
  if (!fields) return unreadable("is not a readable form");
  if (!fields.every(([name]) => FIELD.test(name))) return unreadable("holds fields no form of this site sends");
  const lists = fields.filter(([name]) => name === "0");
  if (lists.length !== 1 || !argumentsReadable(lists[0]![1], ALLOWED_REFERENCE))
    return unreadable("holds arguments that cannot be read");
  return null;
}

/** The fields naming the action of a form posted before React loaded: `$ACTION_ID_<id>`, or `$ACTION_REF_<n>`. */
const NAMING_FIELD = /^\$ACTION_(?:ID|REF)_/;

/**
 * A bound action's metadata (`$ACTION_<n>:0`): its id, and its bound arguments as null or a
 * reference to another field of the same prefix, holding a JSON list of plain values.
 */
function boundActionReadable(form: FormData, n: string): boolean {
  const field = (k: string) => form.get(`$ACTION_${n}:${k}`);
  const meta = field("0");
  if (typeof meta !== "string") return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(meta);
  } catch {
    return false;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return false;
  const { id, bound, ...rest } = parsed as { id?: unknown; bound?: unknown };
  if (Object.keys(rest).length || typeof id !== "string" || !ACTION_ID.test(id)) return false;
  if (bound === null) return true;
  const chunk = typeof bound === "string" ? /^\$@(\d{1,6})$/.exec(bound)?.[1] : undefined;
  if (chunk === undefined || chunk === "0") return false;
  const list = field(chunk);
  return typeof list === "string" && argumentsReadable(list, ALLOWED_WITHOUT_FORM);
}

/**
 * The defect of a form posted to a page without the Next-Action header (JavaScript off, or
 * before React loaded): React finds the action in its fields and decodes a bound one's metadata
 * on trust, so a forged one makes Next.js answer a bare 500. Null when it names no action at all,
 * or one React can decode.
 */
export async function formPostDefect(request: Request): Promise<ActionDefect | null> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) return null;
  const body = await bodyOf(request);
  if (!(body instanceof ArrayBuffer)) return body;
  const form = await formOf(body, type);
  if (!form) return unreadable("is not a readable form");
  const naming = [...form.keys()].filter((name) => NAMING_FIELD.test(name));
  if (naming.length === 0) return null;
  if (naming.length > 1) return unreadable("names more than one server action");
  const [name] = naming as [string];
  const ref = /^\$ACTION_REF_(\d{1,6})$/.exec(name);
  if (ref) return boundActionReadable(form, ref[1]!) ? null : unreadable("holds arguments that cannot be read");
  return ACTION_ID.test(name.slice("$ACTION_ID_".length)) ? null : unreadable("names no server action");
}
