import { z } from "zod";
import { openApiDocument } from "@/lib/web/http/openapi";
import { otherMethods } from "@/lib/web/http/method-not-allowed";
import { route } from "@/lib/web/http/route";
import { routeModules } from "./operations";

let document: ReturnType<typeof openApiDocument> | undefined;

/** The OpenAPI 3.1 document of this API, built once from the schemas the handlers validate with. */
export const GET = route(
  {
    allow: "anyone",
    summary: "This document",
    query: z.looseObject({}),
    answers: {
      200: {
        description: "The OpenAPI 3.1 document of this API",
        schema: z.looseObject({ openapi: z.literal("3.1.0"), paths: z.record(z.string(), z.unknown()) }),
      },
    },
  },
  async ({ reply }) => {
    document ??= openApiDocument({ ...routeModules, "/api/openapi.json": { GET } });
    return reply(200, document, { "Cache-Control": "public, max-age=300" });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
