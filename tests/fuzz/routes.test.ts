/**
 * Every route handler under app/, fuzzed against the production build: any method, path and query
 * parameters, headers (sessions, tokens, cookies, Origin) and JSON bodies, hostile throughout.
 * Each answer is below 500, a refusal carries the error envelope, nothing leaks a secret or a
 * stack trace, and a refusal wrote no row and called no provider.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { h } from "../support/harness";
import type { FuzzContext } from "../support/fuzz/requests";
import type { RouteSurface } from "../support/fuzz/routes";

const { fuzz } = h;
const root = path.resolve(import.meta.dirname, "../..");

// Offboarding the fuzzed end-user changes what later surfaces see: the route that can do it runs last.
const order = Object.keys(fuzz.routeSurfaces).sort(
  (a, b) => Number(a === "app/api/end-users/[id]/route.ts") - Number(b === "app/api/end-users/[id]/route.ts"),
);

function judge(surface: RouteSurface) {
  return fuzz.judge((request, answer) => {
    const problems: string[] = [];
    const refused = answer.status >= 400 && answer.status < 500;
    // Answered before any code of ours runs: 431 by Node's HTTP parser (an oversized request head),
    // 405 by Next.js for a method the route file does not export (the error table has no 405).
    const framework = answer.status === 431 || answer.status === 405;
    // A path that normalises (`..`) out of /api is a page path: its 404 is the HTML page.
    const underApi = new URL(request.path, h.stack.appOrigin).pathname.startsWith("/api/");
    const envelopeExpected = surface.envelope && underApi && request.method !== "HEAD" && !framework;
    if (refused && envelopeExpected && !fuzz.isEnvelope(answer.body))
      problems.push(`${answer.status} without the error envelope: ${JSON.stringify(answer.body.slice(0, 160))}`);
    // A refusal that reports what a provider answered (its code says so, or it cites Conductor's request) asked it.
    const code = fuzz.errorCode(answer.body);
    const upstreamAnswer = (code && fuzz.UPSTREAM_ANSWER_CODES.has(code)) || fuzz.citesConductor(answer.body);
    return { problems, refusal: refused && !upstreamAnswer };
  });
}

describe("route handlers under hostile input", () => {
  let ctx: FuzzContext;
  let stop = async () => {};

  beforeAll(async () => {
    fuzz.announce("route handlers");
    ({ ctx, stop } = await fuzz.start("routes"));
  });
  afterAll(() => stop());

  it("every route file under app/ has a fuzz surface that knows each method it exports", () => {
    const files = fuzz.routeFiles(root);
    expect(Object.keys(files).sort()).toEqual(Object.keys(fuzz.routeSurfaces).sort());
    for (const [file, methods] of Object.entries(files))
      expect([...fuzz.routeSurfaces[file]!.methods].sort(), file).toEqual(methods);
  });

  for (const file of order) {
    it(
      `${file} answers every request below 500, refuses in the envelope, leaks nothing, and a refusal leaves no trace`,
      async () => {
        const surface = fuzz.routeSurfaces[file]!;
        const sent = await fuzz.run(file, fuzz.routeRequests(surface, ctx), judge(surface));
        expect(sent).toBeGreaterThanOrEqual(fuzz.settings.runs);
      },
      fuzz.timeoutMs,
    );
  }
});
