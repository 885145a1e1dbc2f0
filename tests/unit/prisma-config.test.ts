import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function datasourceUrl(env: Record<string, string>) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const { default: config } = await import("@/prisma.config");
  return config.datasource?.url;
}

describe("prisma.config.ts (what `prisma migrate deploy` connects to)", () => {
  it("takes the direct URL over the pooled one", async () => {
    expect(
      await datasourceUrl({ DATABASE_URL: "postgres://pooled/db", DATABASE_URL_UNPOOLED: "postgres://direct/db" }),
    ).toBe("postgres://direct/db");
  });

  it("counts an empty DATABASE_URL_UNPOOLED as unset, as the app and npm run db:migrate do", async () => {
    expect(await datasourceUrl({ DATABASE_URL: "postgres://pooled/db", DATABASE_URL_UNPOOLED: "" })).toBe(
      "postgres://pooled/db",
    );
  });
});
