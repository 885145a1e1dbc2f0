import type { ExternalProvider } from "@/lib/db/generated/enums";

export const providerNames: Record<ExternalProvider, string> = { altur: "Altur", dify: "Dify" };
