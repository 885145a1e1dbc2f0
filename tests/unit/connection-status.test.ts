import { describe, expect, it } from "vitest";
import {
  CHECK_OUTCOMES,
  connectionFrom,
  deriveConnectionStatus,
  type CheckOutcome,
  type ConnectionStatus,
} from "@/lib/model/connection";
import { lastQuickBooksAnswer } from "@/lib/model/connection-status";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
const qbd = (created: number, lastSuccess: number | null) => ({
  integrationSlug: "quickbooks_desktop",
  createdAt: at(created),
  lastSuccessfulRequestAt: lastSuccess === null ? null : at(lastSuccess),
});
const check = (outcome: CheckOutcome, minute: number) => ({ outcome, at: at(minute) });

describe("deriveConnectionStatus without a health check", () => {
  it("is not_started with no connection at all", () => {
    expect(deriveConnectionStatus([], null)).toBe("not_started");
  });

  it("is not_started when the only connection is not QuickBooks Desktop's", () => {
    const other = { integrationSlug: "xero", createdAt: at(1), lastSuccessfulRequestAt: at(2) };
    expect(deriveConnectionStatus([other], null)).toBe("not_started");
  });

  it("is in_progress when a connection exists but never completed a request", () => {
    expect(deriveConnectionStatus([qbd(1, null)], null)).toBe("in_progress");
  });

  it("is connected when a connection completed a request", () => {
    expect(deriveConnectionStatus([qbd(1, 2)], null)).toBe("connected");
  });

  it("is connected when any of several connections completed a request", () => {
    expect(deriveConnectionStatus([qbd(1, null), qbd(3, 4)], null)).toBe("connected");
  });
});

describe("deriveConnectionStatus after a health check", () => {
  // Every outcome against every state of the connections, the check before or after their news.
  const table: [string, ReturnType<typeof qbd>[], CheckOutcome, number, ConnectionStatus][] = [
    ["no connection", [], "passed", 10, "connected"],
    ["no connection", [], "connection_error", 10, "needs_attention"],
    ["no connection", [], "not_set_up", 10, "not_started"],
    ["a connection without requests", [qbd(1, null)], "passed", 10, "connected"],
    ["a connection without requests", [qbd(1, null)], "connection_error", 10, "needs_attention"],
    ["a connection without requests", [qbd(1, null)], "not_set_up", 10, "not_started"],
    ["a request that succeeded before the check", [qbd(1, 5)], "passed", 10, "connected"],
    ["a request that succeeded before the check", [qbd(1, 5)], "connection_error", 10, "needs_attention"],
    ["a request that succeeded before the check", [qbd(1, 5)], "not_set_up", 10, "not_started"],
    ["a request that succeeded at the check's moment", [qbd(1, 10)], "connection_error", 10, "needs_attention"],
    ["a request that succeeded after the check", [qbd(1, 15)], "passed", 10, "connected"],
    ["a request that succeeded after the check", [qbd(1, 15)], "connection_error", 10, "connected"],
    ["a request that succeeded after the check", [qbd(1, 15)], "not_set_up", 10, "connected"],
    // A setup done again after the check: the check never saw the new connection.
    ["a connection created after the check", [qbd(12, null)], "passed", 10, "in_progress"],
    ["a connection created after the check", [qbd(12, null)], "connection_error", 10, "in_progress"],
    ["a connection created after the check", [qbd(12, null)], "not_set_up", 10, "in_progress"],
    ["a connection created after the check that answered", [qbd(12, 13)], "connection_error", 10, "connected"],
    [
      "an old connection that answered and a new one",
      [qbd(1, 5), qbd(12, null)],
      "connection_error",
      10,
      "in_progress",
    ],
    ["an old connection that never answered and a new one", [qbd(1, null), qbd(12, null)], "passed", 10, "in_progress"],
    [
      "an old connection that answered before the check and one that answered after it",
      [qbd(1, 5), qbd(8, 15)],
      "connection_error",
      10,
      "connected",
    ],
  ];
  const rows = table.map(([label, connections, outcome, minute, expected]) => ({
    label,
    connections,
    outcome,
    minute,
    expected,
  }));

  it.each(rows)(
    "with $label, a check at minute $minute that found $outcome → $expected",
    ({ connections, outcome, minute, expected }) => {
      expect(deriveConnectionStatus(connections, check(outcome, minute))).toBe(expected);
    },
  );

  it("covers every outcome", () => {
    expect(new Set(table.map((row) => row[2]))).toEqual(new Set(CHECK_OUTCOMES));
  });
});

describe("deriveConnectionStatus with a record of Conductor's asked for after the check", () => {
  it.each(CHECK_OUTCOMES)(
    "a record that lists no QuickBooks Desktop connection supersedes a check that found %s: not_started",
    (outcome) => {
      expect(deriveConnectionStatus([], check(outcome, 10), at(11))).toBe("not_started");
      expect(deriveConnectionStatus([], check(outcome, 10), "now")).toBe("not_started");
    },
  );

  it("a record asked for before the check, or at no known time, leaves the check to decide", () => {
    expect(deriveConnectionStatus([], check("passed", 10), at(9))).toBe("connected");
    expect(deriveConnectionStatus([], check("passed", 10), at(10))).toBe("connected");
    expect(deriveConnectionStatus([], check("connection_error", 10))).toBe("needs_attention");
  });

  it("a record that still lists the connection leaves the check to decide, as before", () => {
    expect(deriveConnectionStatus([qbd(1, 5)], check("connection_error", 10), at(11))).toBe("needs_attention");
    expect(deriveConnectionStatus([qbd(1, 5)], check("passed", 10), "now")).toBe("connected");
    expect(deriveConnectionStatus([qbd(1, 15)], check("connection_error", 10), "now")).toBe("connected");
  });
});

describe("connectionFrom", () => {
  const failed = {
    outcome: "connection_error" as const,
    at: at(10),
    message: "Open QuickBooks Desktop.",
    conductorRequestId: "req_1",
  };

  it("carries Conductor's message only while the status needs attention", () => {
    expect(connectionFrom("needs_attention", failed)).toEqual({
      status: "needs_attention",
      checkedAt: at(10),
      message: "Open QuickBooks Desktop.",
      conductorRequestId: "req_1",
    });
    expect(connectionFrom("connected", failed)).toEqual({
      status: "connected",
      checkedAt: at(10),
      message: null,
      conductorRequestId: "req_1",
    });
  });

  it("says nothing of a check that never ran", () => {
    expect(connectionFrom("not_started", null)).toEqual({
      status: "not_started",
      checkedAt: null,
      message: null,
      conductorRequestId: null,
    });
  });
});

describe("lastQuickBooksAnswer", () => {
  it("is the newest successful request among QuickBooks Desktop's connections, whatever their order", () => {
    expect(lastQuickBooksAnswer([qbd(1, 5), qbd(8, 15), qbd(9, null)])).toEqual(at(15));
    expect(lastQuickBooksAnswer([qbd(8, 15), qbd(1, 5)])).toEqual(at(15));
  });

  it("counts no other integration's requests, and is null when QuickBooks Desktop never answered", () => {
    const other = { integrationSlug: "xero", createdAt: at(1), lastSuccessfulRequestAt: at(30) };
    expect(lastQuickBooksAnswer([qbd(1, 5), other])).toEqual(at(5));
    expect(lastQuickBooksAnswer([qbd(1, null), other])).toBeNull();
    expect(lastQuickBooksAnswer([])).toBeNull();
  });
});
