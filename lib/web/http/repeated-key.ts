/**
 * JSON.parse keeps the last of two members with one name, where a proxy or a log may read the
 * first: a body naming a key twice is refused, as a repeated query parameter or form field is.
 * Hand-written because the parsers that report members (momoa) recurse, and a 64 KB body can nest
 * 32,000 levels deep; this walks the text once with a stack of its own.
 */

/** What an open object or array holds so far. */
type Open = { keys: Set<string> | null; key: string; index: number };

const JSON_SPACE = new Set([" ", "\t", "\n", "\r"]);

/** Where `text`, valid JSON, first names a key twice in one object (`a.0.b`), or null when it never does. */
export function repeatedKeyPath(text: string): string | null {
  const open: Open[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      const inside = open.at(-1);
      let next = end + 1;
      while (JSON_SPACE.has(text[next]!)) next++;
      // A string straight inside an object, followed by a colon, is a member's name.
      if (inside?.keys && text[next] === ":") {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (inside.keys.has(key))
          return [...open.slice(0, -1).map((o) => (o.keys ? o.key : String(o.index))), key].join(".");
        inside.keys.add(key);
        inside.key = key;
      }
      i = end;
    } else if (char === "{") open.push({ keys: new Set(), key: "", index: 0 });
    else if (char === "[") open.push({ keys: null, key: "", index: 0 });
    else if (char === "}" || char === "]") open.pop();
    else if (char === "," && open.at(-1)?.keys === null) open.at(-1)!.index++;
  }
  return null;
}
