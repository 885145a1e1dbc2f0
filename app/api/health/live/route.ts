import { otherMethods } from "@/lib/web/http/method-not-allowed";

/** Liveness: the process serves requests. Touches nothing else (and is the framework's floor in `npm run bench`). */
export function GET() {
  return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
