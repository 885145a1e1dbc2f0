import { z } from "zod";
import { choiceError } from "./text";
import { VENDOR_NAMES } from "@/lib/platform/vendors";

/** The providers whose end-users are linked to a customer's Conductor end-user. */
export const LINKED_PROVIDERS = ["altur", "dify"] as const;

export type LinkedProvider = (typeof LINKED_PROVIDERS)[number];

export const linkedProviderSchema = z.enum(LINKED_PROVIDERS, {
  error: choiceError(`must be ${LINKED_PROVIDERS.map((provider) => `"${provider}"`).join(" or ")}`),
});

export const providerName = (provider: LinkedProvider): string => VENDOR_NAMES[provider];

/** How each provider's end-user ids look, for messages and hints ("a version 4 UUID"). */
export type ProviderIdFormat = { description: string; placeholder: string };

export const PROVIDER_ID_FORMATS: Record<LinkedProvider, ProviderIdFormat> = {
  altur: { description: "version 4 UUID", placeholder: "xxxxxxxx-xxxx-4xxx-xxxx-xxxxxxxxxxxx" },
  dify: { description: "UUID", placeholder: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" },
};

/** The providers by name, for text: "Altur or Dify". */
export const linkedProviderNames = LINKED_PROVIDERS.map(providerName).join(" or ");
