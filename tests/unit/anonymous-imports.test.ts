/**
 * A cold start's first request is usually an anonymous visit to `/`: what the root layout and the
 * home page import at their top is loaded before it can be answered. The database layer (Prisma's
 * client, node-postgres, every statement) is loaded only once someone signed in needs it, through
 * `import()`. This follows the static imports of our own modules from those two files.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

function resolveOwn(specifier: string, from: string): string | null {
  const base = specifier.startsWith("@/")
    ? path.join(root, specifier.slice(2))
    : specifier.startsWith(".")
      ? path.resolve(path.dirname(from), specifier)
      : null;
  if (!base) return null; // a package: not ours to follow
  if (/\.css$/.test(base)) return null; // a stylesheet imports no code
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}.mjs`, path.join(base, "index.ts")];
  const found = candidates.find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile());
  if (found) return found;
  throw new Error(`${path.relative(root, from)} imports ${specifier}, which was not found`);
}

/** The modules of ours a file imports at its top for their values (`import type` loads nothing). */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of source.statements) {
    const from =
      ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly
        ? statement.moduleSpecifier
        : ts.isExportDeclaration(statement) && !statement.isTypeOnly
          ? statement.moduleSpecifier
          : undefined;
    if (!from || !ts.isStringLiteral(from)) continue;
    const resolved = resolveOwn(from.text, file);
    if (resolved) found.push(resolved);
  }
  return found;
}

/** Every module of ours loaded with `entry`, each with the chain of imports that reached it. */
function loadedWith(entry: string): Map<string, string[]> {
  const reached = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    for (const next of staticImports(file)) {
      if (reached.has(next)) continue;
      reached.set(next, [...reached.get(file)!, next]);
      queue.push(next);
    }
  }
  return reached;
}

const databaseLayer = (file: string) => /^lib\/(db|data)\//.test(path.relative(root, file));

describe("what an anonymous visit to / loads", () => {
  for (const entry of ["app/layout.tsx", "app/page.tsx"]) {
    it(`${entry} reaches no module of the database layer through its static imports`, () => {
      const loaded = loadedWith(path.join(root, entry));
      const chains = [...loaded]
        .filter(([file]) => databaseLayer(file))
        .map(([, chain]) => chain.map((file) => path.relative(root, file)).join(" → "));
      expect(loaded.size).toBeGreaterThan(5);
      expect(chains).toEqual([]);
    });
  }
});
