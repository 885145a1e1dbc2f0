/**
 * The production build the suite runs against printed no warnings: each one so far was a defect
 * (the whole project traced into the server's output, a package bundled that should have stayed
 * external, a Node.js API where the Edge runtime compiles).
 */
import { readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { buildOutputOf } from "../support/app-server";

describe("next build", () => {
  it("compiles the app and prints no warning", () => {
    const output = stripVTControlCharacters(readFileSync(buildOutputOf(), "utf8"));
    expect(output).toContain("Compiled successfully");
    // Next.js marks its own warnings ⚠, Turbopack's say "Warning".
    expect(output.match(/^.*(warning|⚠).*$/gim) ?? []).toEqual([]);
  });
});
