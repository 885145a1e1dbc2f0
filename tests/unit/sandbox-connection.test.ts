import { afterEach, describe, expect, it, vi } from "vitest";
import { completeConnection, qbdConnection } from "@/lib/sandbox/conductor/connections";
import { memoryStore, type SandboxEndUser } from "@/lib/sandbox/conductor/store";

const endUser: SandboxEndUser = {
  id: "end_usr_sandboxclock01",
  objectType: "end_user",
  createdAt: "2026-12-02T07:00:00.000Z",
  companyName: "Clock Co",
  sourceId: "user_clock",
  email: "owner@clock.example",
  integrationConnections: [],
};

/** A clock that moves one millisecond every time it is read, as a busy server's can between two reads. */
function tickingClock() {
  const RealDate = Date;
  let now = RealDate.now();
  class TickingDate extends RealDate {
    constructor(...args: ConstructorParameters<typeof Date>) {
      if (args.length) super(...args);
      else super((now += 1));
    }
    static override now = () => (now += 1);
  }
  vi.stubGlobal("Date", TickingDate);
}

afterEach(() => vi.unstubAllGlobals());

describe("the sandbox Conductor's QuickBooks Desktop connection", () => {
  it("is created by completing the flow at the same instant as its first, successful request: never dated after it", () => {
    tickingClock();
    const store = memoryStore([endUser]);
    completeConnection(store, endUser);
    const connection = qbdConnection(store.get(endUser.id)!)!;
    expect(connection.lastRequestAt).toBe(connection.createdAt);
    expect(connection.lastSuccessfulRequestAt).toBe(connection.createdAt);
  });

  it("keeps its creation time when later requests are recorded", () => {
    const store = memoryStore([endUser]);
    completeConnection(store, endUser);
    const created = qbdConnection(store.get(endUser.id)!)!.createdAt;
    tickingClock();
    completeConnection(store, store.get(endUser.id)!);
    const connection = qbdConnection(store.get(endUser.id)!)!;
    expect(connection.createdAt).toBe(created);
    expect(connection.lastRequestAt! > created).toBe(true);
  });
});
