/**
 * The folders of prisma/migrations, oldest first (their names start with a timestamp). Plain
 * JavaScript, so that next.config.mjs reads it at build without compiling TypeScript.
 */
import { readdirSync } from "node:fs";
import path from "node:path";

/** @param {string | URL} [dir] by default prisma/migrations under the directory the process runs in */
export function migrationNames(dir = path.join(process.cwd(), "prisma", "migrations")) {
  // Read where the process runs, never traced into a build: a build bakes in the name it needs.
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
