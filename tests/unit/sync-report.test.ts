import { describe, expect, it } from "vitest";
import { describeSyncCounts, syncReportSchema } from "@/lib/model/reconcile-report";

const counts = { upstream: 9, added: 0, updated: 0, unchanged: 2, missingUpstream: 0, conflicts: 0 };

describe("a refresh's report as an operator reads it", () => {
  it("names each duplicated sourceId with the end-user kept, those ignored, and how many more", () => {
    const report = syncReportSchema.parse({
      ...counts,
      duplicates: 7,
      duplicateSourceIds: [
        { sourceId: "a", kept: "end_usr_1", ignored: ["end_usr_2"] },
        { sourceId: "b", kept: "end_usr_3", ignored: ["end_usr_4", "end_usr_5"], alsoIgnored: 2 },
      ],
    });
    expect(describeSyncCounts(report)).toBe(
      "0 added, 0 updated, 2 unchanged, 0 missing upstream, 7 duplicate sourceIds ignored (sourceId a: end_usr_1 kept, end_usr_2 ignored; sourceId b: end_usr_3 kept, end_usr_4, end_usr_5 and 2 more ignored; and more)",
    );
  });

  it("reads a report recorded before duplicates were named, as the audit trail holds it", () => {
    const report = syncReportSchema.parse({ ...counts, duplicates: 1 });
    expect(describeSyncCounts(report)).toBe(
      "0 added, 0 updated, 2 unchanged, 0 missing upstream, 1 duplicate sourceIds ignored",
    );
  });
});
