/** The one markdown table `npm run bench` prints: each measurement, what it is compared with, and its target. */
export type Row = {
  /** The row's number in the table (1–9). */
  n: number;
  what: string;
  result: string;
  compared?: string;
  target?: string;
  /** Whether the target is met; absent for reference rows. */
  met?: boolean;
};

const cell = (text: string | undefined) => (text ?? "—").replace(/\|/g, "\\|");

export function renderTable(rows: Row[]): string {
  const lines = [
    "| # | Measurement | Result (median of 3 runs) | Compared with | Target | Status |",
    "|---|---|---|---|---|---|",
    ...rows
      .map((row) =>
        [
          row.n,
          row.what,
          row.result,
          row.compared,
          row.target,
          row.met === undefined ? "reference" : row.met ? "met" : "**not met**",
        ]
          .map((value) => ` ${cell(value === undefined ? undefined : String(value))} `)
          .join("|"),
      )
      .map((line) => `|${line}|`),
  ];
  return lines.join("\n");
}

export function summary(rows: Row[]): string {
  const judged = rows.filter((row) => row.met !== undefined);
  return `Targets met: ${judged.filter((row) => row.met).length} of ${judged.length}.`;
}
