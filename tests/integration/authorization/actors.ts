/**
 * Every kind of caller the authorization tests try, signed in (or not) once per test file: two
 * customers with an end-user each, the operator, the two valid service tokens, and forged or
 * misplaced tokens. Filled by `signInActors()` in the file's beforeAll.
 */
import { h, type HttpClient } from "../../support/harness";

export type Actor = { client: HttpClient; headers: Record<string, string>; query?: string };

export const ACTORS = [
  "anonymous",
  "customer",
  "otherCustomer",
  "operator",
  "token",
  "rotatedToken",
  "emptyToken",
  "shortToken",
  "oneCharChanged",
  "differentCase",
  "basicScheme",
  "tokenInQuery",
] as const;
export type ActorName = (typeof ACTORS)[number];

export const world = {
  actors: {} as Record<ActorName, Actor>,
  /** The end-user of `customer`. */
  customerEndUser: "",
  /** End-users only the offboarding rows act on (an operator's success offboards them); see routes.ts. */
  leaving: { route: "", action: "", missing: "" },
  /** What each caller must never see: other people's data. */
  secretsHiddenFrom: (_actor: ActorName): string[] => [],
};

export async function signInActors(): Promise<void> {
  const [token, token2] = h.stack.serviceTokens as [string, string];
  const customerEmail = h.uniqueEmail("matrix-a");
  const otherEmail = h.uniqueEmail("matrix-b");
  const [customer, other, operator] = await Promise.all([h.signIn(customerEmail), h.signIn(otherEmail), h.operator()]);
  const created = await customer.json("/api/end-users", { companyName: "Matrix Private Co" });
  if (created.status !== 201) throw new Error(`onboarding the matrix customer gave ${created.status}`);
  world.customerEndUser = ((await created.json()) as { endUser: { id: string } }).endUser.id;
  await other.json("/api/end-users", { companyName: "Other Co" });
  const customerData = [customerEmail, "Matrix Private Co"];
  const otherData = [otherEmail, "Other Co"];
  world.secretsHiddenFrom = (actor) =>
    actor === "operator"
      ? []
      : actor === "customer"
        ? otherData
        : actor === "otherCustomer"
          ? customerData
          : [...customerData, ...otherData];
  const anonymous = () => h.client();
  const changed = token.slice(0, -1) + (token.endsWith("a") ? "b" : "a");
  world.actors = {
    anonymous: { client: anonymous(), headers: {} },
    customer: { client: customer, headers: {} },
    otherCustomer: { client: other, headers: {} },
    operator: { client: operator, headers: {} },
    token: { client: anonymous(), headers: { authorization: `Bearer ${token}` } },
    rotatedToken: { client: anonymous(), headers: { authorization: `Bearer ${token2}` } },
    emptyToken: { client: anonymous(), headers: { authorization: "Bearer " } },
    shortToken: { client: anonymous(), headers: { authorization: `Bearer ${token.slice(0, 8)}` } },
    oneCharChanged: { client: anonymous(), headers: { authorization: `Bearer ${changed}` } },
    differentCase: { client: anonymous(), headers: { authorization: `Bearer ${token.toUpperCase()}` } },
    basicScheme: {
      client: anonymous(),
      headers: { authorization: `Basic ${Buffer.from(`${token}:`).toString("base64")}` },
    },
    tokenInQuery: { client: anonymous(), headers: {}, query: `token=${token}&access_token=${token}` },
  };
}
