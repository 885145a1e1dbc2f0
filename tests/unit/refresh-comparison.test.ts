import { describe, expect, it } from "vitest";
import { sameContent } from "@/lib/data/cached-chunk";
import type { UpstreamEndUser } from "@/lib/model/end-user";

const at = (iso: string) => new Date(iso);
const connection = (id: string, used: string | null) => ({
  id,
  integrationSlug: "quickbooks_desktop" as const,
  createdAt: at("2026-01-01T00:00:00.000Z"),
  lastRequestAt: used ? at(used) : null,
  lastSuccessfulRequestAt: used ? at(used) : null,
});
const upstream: UpstreamEndUser = {
  id: "end_usr_1",
  sourceId: "user-1",
  companyName: "Acme",
  email: "a@acme.example",
  createdAt: at("2026-01-01T00:00:00.000Z"),
  integrationConnections: [connection("int_conn_a", "2026-02-01T00:00:00.000Z"), connection("int_conn_b", null)],
};
// The cached row holds its own copies: equal values, never the same objects.
const cached = {
  ...structuredClone(upstream),
  userId: "user-1",
  integrationConnections: structuredClone(upstream.integrationConnections).reverse(),
};

describe("a refresh's comparison of an upstream end-user with its cached row", () => {
  it("finds them the same when every value matches, whatever the order of the connections", () => {
    expect(sameContent(cached, upstream, "user-1")).toBe(true);
  });

  it.each([
    ["the company name", { ...upstream, companyName: "Acme Ltd" }, "user-1"],
    ["the email", { ...upstream, email: "b@acme.example" }, "user-1"],
    ["the creation time, by a millisecond", { ...upstream, createdAt: at("2026-01-01T00:00:00.001Z") }, "user-1"],
    ["the linked user", upstream, null],
    [
      "a connection's last request",
      { ...upstream, integrationConnections: [connection("int_conn_a", null), connection("int_conn_b", null)] },
      "user-1",
    ],
    [
      "a connection's id",
      {
        ...upstream,
        integrationConnections: [connection("int_conn_a", "2026-02-01T00:00:00.000Z"), connection("int_conn_c", null)],
      },
      "user-1",
    ],
    [
      "the number of connections",
      { ...upstream, integrationConnections: [connection("int_conn_a", "2026-02-01T00:00:00.000Z")] },
      "user-1",
    ],
  ] satisfies [string, UpstreamEndUser, string | null][])("tells them apart when %s differs", (_what, next, userId) => {
    expect(sameContent(cached, next, userId)).toBe(false);
  });
});
