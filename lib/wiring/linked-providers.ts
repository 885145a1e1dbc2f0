/**
 * The one registry of linked providers: for each, the name people see, how its ids look, and how
 * to fetch an identity (reshaped by its client). Adding a provider starts here.
 */
import "server-only";
import type { z } from "zod";
import type { LinkedIdentity } from "@/lib/model/linked-identity";
import { PROVIDER_ID_FORMATS, providerName, type LinkedProvider } from "@/lib/model/providers";
import { alturIdSchema } from "@/lib/vendors/altur/schemas";
import { difyIdSchema } from "@/lib/vendors/dify/schemas";
import { altur, dify } from "./vendors";

export type LinkedProviderEntry = {
  name: string;
  idSchema: z.ZodType<string, string>;
  /** How the id looks, for messages ("a version 4 UUID"). */
  idDescription: string;
  retrieve: (id: string) => Promise<LinkedIdentity>;
};

export const linkedProviders: Record<LinkedProvider, LinkedProviderEntry> = {
  altur: {
    name: providerName("altur"),
    idSchema: alturIdSchema,
    idDescription: PROVIDER_ID_FORMATS.altur.description,
    retrieve: (id) => altur().retrieveIdentity(id),
  },
  dify: {
    name: providerName("dify"),
    idSchema: difyIdSchema,
    idDescription: PROVIDER_ID_FORMATS.dify.description,
    retrieve: (id) => dify().retrieveIdentity(id),
  },
};

/** Each provider's id format, for documents: "altur: a version 4 UUID; dify: a UUID". */
export const providerIdFormats = Object.entries(linkedProviders)
  .map(([provider, entry]) => `${provider}: a ${entry.idDescription}`)
  .join("; ");
