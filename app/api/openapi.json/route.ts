import { z } from "zod";
import { openApiDocument } from "@/lib/web/http/openapi";
import { route } from "@/lib/web/http/route";
import { operations } from "./operations";

let document: ReturnType<typeof openApiDocument> | undefined;

/** The OpenAPI 3.1 document of this API, built once from the schemas the handlers validate with. */
export const GET = route({ allow: "anyone", query: z.looseObject({}) }, async () => {
  document ??= openApiDocument(operations);
  return Response.json(document, { headers: { "Cache-Control": "public, max-age=300" } });
});
