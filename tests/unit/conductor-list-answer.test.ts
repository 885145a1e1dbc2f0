/** Conductor's end-user list (it has no paging), validated whole and reshaped into the app's type. */
import { describe, expect, it } from "vitest";
import { endUserListAnswer } from "@/lib/vendors/conductor/reshape";

const endUser = (n: number) => ({
  id: `end_usr_${n}`,
  objectType: "end_user",
  createdAt: "2026-11-01T09:00:00.000Z",
  companyName: `Company ${n}`,
  sourceId: `user_${n}`,
  email: `owner${n}@example.test`,
  integrationConnections: [
    {
      id: `int_conn_${n}`,
      objectType: "integration_connection",
      createdAt: "2026-11-02T09:00:00.000Z",
      integrationSlug: "quickbooks_desktop",
      lastRequestAt: null,
      lastSuccessfulRequestAt: "2026-11-03T09:00:00+00:00",
    },
  ],
});

const list = (data: unknown) => ({ objectType: "list", url: "/v1/end-users", data });

describe("Conductor's end-user list answer", () => {
  it("reshapes every end-user into the app's type: dates parsed, objectType dropped", () => {
    const parsed = endUserListAnswer.parse(list([endUser(1), endUser(2)]));
    expect(parsed).toHaveLength(2);
    expect(parsed[1]).toEqual({
      id: "end_usr_2",
      sourceId: "user_2",
      companyName: "Company 2",
      email: "owner2@example.test",
      createdAt: new Date("2026-11-01T09:00:00.000Z"),
      integrationConnections: [
        {
          id: "int_conn_2",
          integrationSlug: "quickbooks_desktop",
          createdAt: new Date("2026-11-02T09:00:00.000Z"),
          lastRequestAt: null,
          lastSuccessfulRequestAt: new Date("2026-11-03T09:00:00.000Z"),
        },
      ],
    });
  });

  it("refuses the whole list when one end-user is malformed, naming it", () => {
    const { email: _missing, ...broken } = endUser(2);
    const result = endUserListAnswer.safeParse(list([endUser(1), broken, endUser(3)]));
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path.slice(0, 2)).toEqual(["data", 1]);
  });

  it("refuses an envelope that is not Conductor's: no data array, or a key it does not document", () => {
    expect(endUserListAnswer.safeParse(list("nope")).success).toBe(false);
    expect(endUserListAnswer.safeParse({ ...list([]), nextCursor: null }).success).toBe(false);
    expect(endUserListAnswer.safeParse(null).success).toBe(false);
    expect(endUserListAnswer.parse(list([]))).toEqual([]);
  });
});
