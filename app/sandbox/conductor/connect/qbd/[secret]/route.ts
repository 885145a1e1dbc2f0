import type { NextRequest } from "next/server";
import { modes } from "@/lib/platform/env";
import { otherMethods } from "@/lib/web/http/method-not-allowed";
import { sandboxAuthFlow } from "@/lib/wiring/in-app-sandbox";

/**
 * The sandbox Conductor's auth-flow page, where a sandbox auth session's `authFlowUrl` points in
 * the demo. Exists only while Conductor is the sandbox; the session's secret in the path is the
 * only key it needs, as with Conductor's own page.
 */
const notFound = () => new Response("Not found.", { status: 404, headers: { "content-type": "text/plain" } });

async function handler(request: NextRequest) {
  return (await sandboxAuthFlow(request, request.headers.get("x-nonce") ?? undefined)) ?? notFound();
}

const refusals = otherMethods("GET", "POST");
/** 405 with `Allow` while the page exists; without the sandbox there is no page to refuse a method for. */
const otherMethod = (request: NextRequest) =>
  modes.conductor === "sandbox" ? refusals[request.method as keyof typeof refusals](request) : notFound();

export {
  handler as GET,
  handler as POST,
  otherMethod as PUT,
  otherMethod as PATCH,
  otherMethod as DELETE,
  otherMethod as OPTIONS,
};
