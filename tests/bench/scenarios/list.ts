/**
 * Rows 5 and 9: the operator's /end-users page, server-rendered, from three instances of our app
 * side by side — on databases of 10, 10,000 and 100,000 cached rows — alternating run by run: the first
 * page, a deep page (a cursor near the end), a search and a connection-status filter, each
 * rendering 10 rows (`limit=10`) in each, so only the amount of data differs. Every page also
 * counts the cache by status for its filter chips. One connection each, sequential requests.
 */
import type { Row } from "../report";
import { type Bench, RUNS } from "../context";
import { Connection, sequential, type Reply } from "../measure/connection";
import { loadAverage } from "../measure/machine";
import { progress } from "../measure/progress";
import { cursorAboveNewest, cursorAt, STATUS_OF_ZEBRAS, ZEBRA } from "../seed";
import { median, ms, percentile, ratio } from "../measure/stats";

const PER_RUN = 100;
const WARM_UP = 50;
const PAGE = 10;
const TARGET_RATIO = 1.5;
const KINDS = ["first page", "deep page (cursor)", "search", "status filter (?status=)"] as const;

type Kind = (typeof KINDS)[number];
type Side = { connection: Connection; paths: Record<Kind, string>; runs: Record<Kind, { p50: number; p99: number }[]> };

/** Ten rows in the table body, and no error notice. */
const rendersPage = (reply: Reply) =>
  reply.status === 200 && (reply.body.match(/<tr>/g)?.length ?? 0) === PAGE + 1 && !reply.body.includes("notice-warn");

async function side(origin: string, cookie: string, databaseUrl: string, cachedRows: number): Promise<Side> {
  // Deep page: the last 10 rows; with only 10 rows, a cursor just above the newest (all 10).
  const cursor =
    cachedRows > PAGE ? await cursorAt(databaseUrl, cachedRows - PAGE - 1) : await cursorAboveNewest(databaseUrl);
  return {
    connection: new Connection(origin, { cookie }),
    paths: {
      "first page": `/end-users?limit=${PAGE}`,
      "deep page (cursor)": `/end-users?limit=${PAGE}&cursor=${cursor}`,
      search: `/end-users?limit=${PAGE}&q=${encodeURIComponent(ZEBRA.toLowerCase())}`,
      "status filter (?status=)": `/end-users?limit=${PAGE}&status=${STATUS_OF_ZEBRAS}`,
    },
    runs: { "first page": [], "deep page (cursor)": [], search: [], "status filter (?status=)": [] },
  };
}

async function time(s: Side, kind: Kind, count: number) {
  const latencies = await sequential(count, () => s.connection.request(s.paths[kind]), rendersPage);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export async function measureList(bench: Bench): Promise<Row[]> {
  const small = await side(bench.tenRows.app.origin, bench.tenRows.operator.cookie, bench.tenRows.databaseUrl, 10);
  const large = await side(bench.app.origin, bench.operator.cookie, bench.databaseUrl, 10_000);
  const { hundredThousand: huge } = bench;
  const hugeSide = await side(huge.app.origin, huge.operator.cookie, huge.databaseUrl, 100_000);
  const sides = [small, large, hugeSide];
  try {
    for (const kind of KINDS) for (const s of sides) await time(s, kind, WARM_UP);
    for (let run = 1; run <= RUNS; run++) {
      progress(`rows 5 and 9: run ${run} of ${RUNS} (${PER_RUN} requests per page and size; load ${loadAverage()})`);
      for (const kind of KINDS) for (const s of sides) s.runs[kind].push(await time(s, kind, PER_RUN));
    }
  } finally {
    for (const s of sides) s.connection.close();
  }
  const at = (s: Side, kind: Kind) => ({
    p50: median(s.runs[kind].map((r) => r.p50)),
    p99: median(s.runs[kind].map((r) => r.p99)),
  });
  const rowsFor = (n: number, s: Side, label: string) =>
    KINDS.map((kind) => {
      const [ten, many] = [at(small, kind), at(s, kind)];
      const factor = many.p50 / ten.p50;
      return {
        n,
        what: `/end-users ${kind}, 10 vs ${label} cached rows (1 conn., ${PAGE} rows rendered)`,
        result: `${label} rows: p50 ${ms(many.p50)}, p99 ${ms(many.p99)}`,
        compared: `10 rows: p50 ${ms(ten.p50)}, p99 ${ms(ten.p99)} → p50 ${ratio(factor)}`,
        target: `p50 ≤ ${ratio(TARGET_RATIO)} the 10-row p50`,
        met: factor <= TARGET_RATIO,
      };
    });
  return [...rowsFor(5, large, "10,000"), ...rowsFor(9, hugeSide, "100,000")];
}
