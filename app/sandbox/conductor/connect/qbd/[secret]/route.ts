import type { NextRequest } from "next/server";
import { sandboxAuthFlow } from "@/lib/wiring/in-app-sandbox";

/**
 * The sandbox Conductor's auth-flow page, where a sandbox auth session's `authFlowUrl` points in
 * the demo. Exists only while Conductor is the sandbox; the session's secret in the path is the
 * only key it needs, as with Conductor's own page.
 */
async function handler(request: NextRequest) {
  const page = await sandboxAuthFlow(request, request.headers.get("x-nonce") ?? undefined);
  return page ?? new Response("Not found.", { status: 404, headers: { "content-type": "text/plain" } });
}

export { handler as GET, handler as POST };
