/**
 * Every route handler under app/, fuzzed against the production build: any method, path and query
 * parameters, headers (sessions, tokens, cookies, Origin) and JSON bodies, hostile throughout.
 * Each answer is below 500, a refusal carries the error envelope, an answer of a documented
 * operation is one the OpenAPI document declares (status and schema), nothing leaks a secret or a
 * stack trace, and a refusal wrote no row and called no provider.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { h } from "../support/harness";
import type { FuzzContext } from "../support/fuzz/requests";
import { openApiContract, violation, type Contract } from "../support/openapi-contract";

const { fuzz } = h;
const root = path.resolve(import.meta.dirname, "../..");

let contract: Contract;

/** A header of a fuzz answer (kept as `name: value` lines). */
const headerOf = (headers: string) => (name: string) =>
  headers
    .split("\n")
    .find((line) => line.toLowerCase().startsWith(`${name}: `))
    ?.slice(name.length + 2) ?? null;

const judge = fuzz.judge((request, answer) => {
  const surface = fuzz.routeSurfaces[request.surface]!;
  const problems: string[] = [];
  const refused = answer.status >= 400 && answer.status < 500;
  // Answered before any code of ours runs: 431 by Node's HTTP parser (an oversized request head).
  const framework = answer.status === 431;
  // A path that normalises (`..`) out of /api is a page path: its 404 is the HTML page.
  const underApi = new URL(request.path, h.stack.appOrigin).pathname.startsWith("/api/");
  const envelopeExpected = surface.envelope && underApi && request.method !== "HEAD" && !framework;
  if (refused && envelopeExpected && !fuzz.isEnvelope(answer.body))
    problems.push(`${answer.status} without the error envelope: ${JSON.stringify(answer.body.slice(0, 160))}`);
  // Every answer of a documented operation is one the OpenAPI document declares, with its schema.
  if (answer.status > 0 && !framework) {
    const url = new URL(request.path, h.stack.appOrigin);
    const answered = { status: answer.status, header: headerOf(answer.headers), body: answer.body };
    const problem = violation(contract, request.method, url, answered);
    if (problem) problems.push(problem);
  }
  // A refusal that reports what a provider answered (its code says so, or it cites Conductor's request) asked it.
  const code = fuzz.errorCode(answer.body);
  const upstreamAnswer = (code && fuzz.UPSTREAM_ANSWER_CODES.has(code)) || fuzz.citesConductor(answer.body);
  return { problems, refusal: refused && !upstreamAnswer };
});

describe("route handlers under hostile input", () => {
  let ctx: FuzzContext;
  let stop = async () => {};

  beforeAll(async () => {
    fuzz.announce("route handlers");
    contract = await openApiContract();
    ({ ctx, stop } = await fuzz.start("routes"));
  });
  afterAll(() => stop());

  it("every route file under app/ is in one fuzz group, with a surface that knows each method it exports", () => {
    const files = fuzz.routeFiles(root);
    expect(Object.keys(files).sort()).toEqual(Object.keys(fuzz.routeSurfaces).sort());
    expect(Object.values(fuzz.routeGroups).flat().sort()).toEqual(Object.keys(files).sort());
    for (const [file, methods] of Object.entries(files))
      expect([...fuzz.routeSurfaces[file]!.methods].sort(), file).toEqual(methods);
  });

  for (const group of Object.keys(fuzz.routeGroups)) {
    it(
      `${group}: every answer below 500, refusals in the envelope, nothing leaked, no trace of a refusal`,
      async () => {
        const perSurface = await fuzz.run(group, fuzz.routeGroupRequests(group, ctx), judge);
        expect([...perSurface.keys()].sort()).toEqual([...fuzz.routeGroups[group]!].sort());
        for (const [surface, cases] of perSurface) expect(cases, surface).toBeGreaterThanOrEqual(fuzz.settings.runs);
      },
      fuzz.timeoutMs,
    );
  }
});
